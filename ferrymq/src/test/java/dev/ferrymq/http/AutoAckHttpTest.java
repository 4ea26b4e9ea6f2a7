package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.QueueOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code ?ack=auto} on the SSE consumer and the pull. */
class AutoAckHttpTest extends GatewayTestBase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void sseWithAutoAckRemovesAsItDelivers(TestInfo info) {
    String q = unique(info);
    broker.queue(q).configure(new QueueOptions().setVisibilityTimeout(Duration.ofSeconds(5))).await();
    for (int i = 0; i < 5; i++) {
      post("/queues/" + q + "/messages", "m" + i);
    }
    SseClient sse = SseClient.open(vertx, port, "/queues/" + q + "/deliveries?prefetch=2&ack=auto", null);
    try {
      Awaitility.await().atMost(WAIT).until(() -> sse.of("delivery").size() == 5);
      SseClient.Event first = sse.of("delivery").get(0);
      assertThat(first.id()).isNull();
      JsonObject d = new JsonObject(first.data());
      assertThat(d.getString("leaseId")).isNull();
      assertThat(d.getString("data")).isEqualTo("m0");
      Awaitility.await().atMost(WAIT).until(() -> stats(q).getLong("depth") == 0);
      assertThat(stats(q).getLong("inFlight")).isZero();
    } finally {
      sse.close();
    }
    // Nothing comes back after the visibility timeout nor the disconnect.
    clock.advance(Duration.ofMinutes(1));
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases?wait=300ms").statusCode()).isEqualTo(204);
  }

  @Test
  void pullWithAutoAck(TestInfo info) {
    String q = unique(info);
    post("/queues/" + q + "/messages", "a");
    post("/queues/" + q + "/messages", "b");
    HttpResponse<Buffer> pulled = call(HttpMethod.POST, "/queues/" + q + "/leases?max=10&wait=1s&ack=auto");
    assertThat(pulled.statusCode()).isEqualTo(200);
    JsonArray list = pulled.bodyAsJsonArray();
    assertThat(list).hasSize(2);
    assertThat(list.getJsonObject(0).getString("data")).isEqualTo("a");
    assertThat(list.getJsonObject(0).getValue("leaseId")).isNull();
    assertThat(stats(q).getLong("depth")).isZero();
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases?wait=0s&ack=manual").statusCode()).isEqualTo(204);
  }

  @Test
  void aBadAckValueIsA400(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> pull = call(HttpMethod.POST, "/queues/" + q + "/leases?ack=yes");
    assertThat(pull.statusCode()).isEqualTo(400);
    assertThat(pull.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(pull.bodyAsJsonObject().getString("detail")).contains("ack");
    HttpResponse<Buffer> sse = call(HttpMethod.GET, "/queues/" + q + "/deliveries?ack=AUTO");
    assertThat(sse.statusCode()).isEqualTo(400);
  }
}
