package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node's Vert.x reports to a Prometheus registry that the broker shares: one GET /metrics has all of it. */
@Timeout(120)
class NodeMetricsTest {

  @Test
  void theNodesMetricsHaveVertxJvmAndFerryMqSeries() throws Exception {
    Vertx vertx = NodeVertx.start(null, 0, "127.0.0.1", 0, null).await(60, TimeUnit.SECONDS);
    try {
      Broker broker = Broker.create(vertx, new BrokerOptions()
        .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await(60, TimeUnit.SECONDS);
      assertThat(broker.meterRegistry()).isInstanceOf(PrometheusMeterRegistry.class);
      broker.queue("node-metrics").send(Buffer.buffer("x")).await();
      GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
      vertx.deployVerticle(gateway).await();
      WebClient web = WebClient.create(vertx);
      try {
        web.get(gateway.actualPort(), "127.0.0.1", "/health/live").send().await();
        HttpResponse<Buffer> r = web.get(gateway.actualPort(), "127.0.0.1", "/metrics").send().await();
        String text = r.bodyAsString();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text).contains("ferrymq_queue_sent_messages_total{queue=\"node-metrics\"} 1.0")
          .contains("ferrymq_cluster_members").contains("jvm_memory_used_bytes").contains("jvm_gc_")
          .contains("vertx_http_server_requests_total").contains("vertx_eventbus_");
      } finally {
        web.close();
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }
}
