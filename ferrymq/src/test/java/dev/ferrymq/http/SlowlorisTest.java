package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 5,000 slowloris connections on 127.0.0.1 (request heads trickled a header line per second, never finished) do not
 * stop a normal client from publishing and subscribing, and the gateway cuts every one of them off once its
 * {@code requestHeaderTimeout} has passed.
 */
@Timeout(300)
class SlowlorisTest extends BrokerTestBase {

  static final int SLOW = 5000;

  @Test
  void slowConnectionsDoNotStopANormalClient() {
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      // 30 s: opening 5,000 connections on a loaded 2-core box can take a good part of it, and they must still be open
      .setRequestHeaderTimeout(Duration.ofSeconds(30)).setHeartbeatInterval(Duration.ofSeconds(1)));
    String deployment = vertx.deployVerticle(gateway).await();
    int port = gateway.actualPort();
    Vertx attacker = Vertx.vertx();
    Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    AtomicInteger closedByServer = new AtomicInteger();
    NetClient net = attacker.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
    long drip = attacker.setPeriodic(1000, id -> open.forEach(s -> s.write("X-Slow: 1\r\n")));
    try {
      for (int batch = 0; batch < SLOW / 250; batch++) {
        List<Future<NetSocket>> connects = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          connects.add(net.connect(port, "127.0.0.1").onSuccess(s -> {
            open.add(s);
            s.closeHandler(v -> {
              if (open.remove(s)) {
                closedByServer.incrementAndGet();
              }
            });
            s.write("GET /topics/slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\n");
          }));
        }
        Future.join(connects).await();
      }
      int concurrent = open.size() + closedByServer.get();
      assertThat(concurrent).isEqualTo(SLOW);

      // A normal client, while the slow ones hold their connections.
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port));
      SseClient sse = SseClient.open(vertx, port, "/topics/normal/events?from=earliest", null);
      assertThat(sse.response.statusCode()).isEqualTo(200);
      for (int i = 1; i <= 20; i++) {
        assertThat(client.post("/topics/normal/messages").sendBuffer(Buffer.buffer("m" + i)).await().statusCode())
          .isEqualTo(201);
      }
      assertThat(client.post("/queues/normal/messages").sendBuffer(Buffer.buffer("job")).await().statusCode())
        .isEqualTo(201);
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sse.of("message").size() == 20);
      assertThat(gateway.connections().connections()).as("slow connections were still open meanwhile")
        .isGreaterThan(SLOW / 2);

      // Then every slow connection is cut off, while the normal stream (its head was complete) stays.
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> closedByServer.get() == SLOW);
      assertThat(gateway.connections().closedSlow()).isGreaterThanOrEqualTo(SLOW);
      assertThat(sse.closed).isFalse();
      // A new connection: the pooled one has been idle for the header timeout by now, so the gateway may be closing
      // it (as it should) just as a request goes out on it.
      WebClient fresh = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setKeepAlive(false));
      assertThat(fresh.post("/topics/normal/messages").sendBuffer(Buffer.buffer("after")).await().statusCode())
        .isEqualTo(201);
      fresh.close();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sse.of("message").size() == 21);
      sse.close();
      client.close();
    } finally {
      attacker.cancelTimer(drip);
      open.forEach(NetSocket::close);
      attacker.close().await();
      vertx.undeploy(deployment).await();
    }
  }
}
