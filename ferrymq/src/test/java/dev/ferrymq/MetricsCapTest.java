package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cap on destinations reported one by one: those beyond it are counted, not reported; a freed place is reused. */
@Timeout(120)
class MetricsCapTest {

  @Test
  void destinationsBeyondTheCapAreCountedNotReported() {
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Broker broker = Broker.create(vertx, new BrokerOptions().setMeterRegistry(registry).setMetricsMaxDestinations(2)
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await();
    try {
      for (String q : List.of("cap-1", "cap-2", "cap-3")) {
        broker.queue(q).send(Buffer.buffer("x")).await(); // owners start one after the other
      }
      Scrape s = Scrape.parse(registry.scrape());
      assertThat(s.find("ferrymq_queue_ready_messages", null, null)).as(s.linesWith("ferrymq_queue_ready"))
        .extracting(Scrape.Sample::labels).containsExactlyInAnyOrder("queue=\"cap-1\"", "queue=\"cap-2\"");
      assertThat(s.value("ferrymq_metrics_reported_destinations")).isEqualTo(2);
      assertThat(s.value("ferrymq_metrics_unreported_destinations")).isEqualTo(1);

      // A reported queue goes: its place is free for the next owner that starts (cap-3 stays unreported).
      broker.queue("cap-1").delete().await();
      await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.parse(registry.scrape())
        .value("ferrymq_metrics_reported_destinations") == 1);
      broker.topic("cap-topic").publish(Buffer.buffer("y")).await();
      Scrape after = Scrape.parse(registry.scrape());
      assertThat(after.value("ferrymq_topic_last_seq", "topic", "cap-topic")).isEqualTo(1);
      assertThat(after.find("ferrymq_queue_ready_messages", "queue", "cap-3")).isEmpty();
      assertThat(after.value("ferrymq_metrics_reported_destinations")).isEqualTo(2);
      assertThat(after.value("ferrymq_metrics_unreported_destinations")).isEqualTo(1);
    } finally {
      broker.close().await();
      vertx.close().await();
    }
  }
}
