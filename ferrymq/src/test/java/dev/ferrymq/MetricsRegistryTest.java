package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.http.GatewayVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which registry a broker reports to: the one given, Vert.x's when its Micrometer metrics are on, or none. */
@Timeout(120)
class MetricsRegistryTest {

  private static HttpResponse<Buffer> metrics(Vertx vertx, Broker broker) {
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
    vertx.deployVerticle(gateway).await();
    WebClient web = WebClient.create(vertx);
    try {
      return web.get(gateway.actualPort(), "127.0.0.1", "/metrics").send().await();
    } finally {
      web.close();
    }
  }

  private static BrokerOptions memoryOnly() {
    return new BrokerOptions().setStore(new StoreOptions().setType(StoreOptions.Type.NONE));
  }

  @Test
  void nothingGivenNothingReported() {
    Vertx vertx = Vertx.vertx();
    try {
      Broker broker = Broker.create(vertx, memoryOnly()).await();
      broker.queue("plain").send(Buffer.buffer("x")).await();
      assertThat(broker.meterRegistry()).isNull();
      HttpResponse<Buffer> r = metrics(vertx, broker);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("no Prometheus metrics");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aVertxWithMicrometerMetricsSharesItsRegistry() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    try {
      MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
      assertThat(vertxRegistry).isNotNull();
      Broker broker = Broker.create(vertx, memoryOnly()).await();
      assertThat(broker.meterRegistry()).isSameAs(vertxRegistry);
      broker.queue("shared").send(Buffer.buffer("x")).await();
      metrics(vertx, broker); // one request first, so that the HTTP server has series
      // Owners publish their counts once a tick: wait for the one after the send.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Scrape.parse(metrics(vertx, broker).bodyAsString())
          .value("ferrymq_queue_sent_messages_total", "queue", "shared")).isEqualTo(1));
      HttpResponse<Buffer> r = metrics(vertx, broker);
      assertThat(r.statusCode()).isEqualTo(200);
      Scrape s = Scrape.parse(r.bodyAsString());
      assertThat(s.samples()).anyMatch(x -> x.name().startsWith("vertx_http_server_"));
      assertThat(s.samples()).anyMatch(x -> x.name().startsWith("vertx_eventbus_"));
    } finally {
      vertx.close().await();
    }
  }
}
