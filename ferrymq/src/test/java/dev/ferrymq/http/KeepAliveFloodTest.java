package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that sends batch after batch of large messages on one keep-alive connection: the gateway lets each
 * finished request (and with it its body) go when the next one arrives, not a sweep later. Holding them until the
 * once-a-second sweep kept about a second of request bodies alive, which ran a 160 MiB node out of heap under a flood
 * of 512 KiB batches.
 */
@Timeout(120)
class KeepAliveFloodTest extends BrokerTestBase {

  @Test
  void finishedRequestsOfAKeepAliveConnectionAreLetGoAtTheNextRequest() {
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setRateLimit(0));
    vertx.deployVerticle(gateway).await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(gateway.actualPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 8; i++) {
      batch.add(new JsonObject().put("data", String.valueOf((char) ('a' + i)).repeat(64 * 1024)));
    }
    Buffer body = batch.toBuffer();
    int mostTracked = 0;
    for (int i = 0; i < 60; i++) {
      int status = client.post("/queues/flood/messages/batch").putHeader("Content-Type", "application/json")
        .sendBuffer(body).await().statusCode();
      assertThat(status).as("batch %d", i).isEqualTo(201);
      mostTracked = Math.max(mostTracked, gateway.connections().tracked());
    }
    assertThat(gateway.connections().connections()).as("one keep-alive connection").isEqualTo(1);
    assertThat(mostTracked).as("requests held by the gateway after each of 60 on one connection").isLessThanOrEqualTo(2);
  }
}
