package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.http.GatewayVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three clustered nodes in one JVM, each with its own registry and gateway: every destination's series come from its
 * owner alone (subscribers from each node, adding up), read from each node's real {@code GET /metrics}; after the
 * owner of a queue leaves, its new owner reports it and counts a take-over.
 */
@Timeout(300)
class MetricsClusterTest {

  private static ClusterNodes nodes;
  private static final List<GatewayVerticle> gateways = new ArrayList<>();
  private static final List<HttpClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    nodes = ClusterNodes.start(3, o -> o.setMeterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    for (int i = 0; i < 3; i++) {
      GatewayVerticle g = new GatewayVerticle(nodes.brokers.get(i), new GatewayOptions().setPort(0));
      nodes.vertxes.get(i).deployVerticle(g).await();
      gateways.add(g);
      clients.add(nodes.vertxes.get(i).createHttpClient());
    }
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** @return node {@code i}'s {@code GET /metrics} */
  private static Scrape scrape(int i) {
    String text = clients.get(i).request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(gateways.get(i).actualPort()).setURI("/metrics"))
      .compose(req -> req.send().compose(resp -> {
        assertThat(resp.statusCode()).isEqualTo(200);
        return resp.body();
      })).await().toString();
    return Scrape.parse(text);
  }

  /** @return what each live node reports for {@code series{label="value"}}: {@code null} where it has no such series */
  private static List<Double> perNode(List<Integer> live, String series, String label, String value) {
    List<Double> out = new ArrayList<>();
    for (int i : live) {
      out.add(scrape(i).value(series, label, value));
    }
    return out;
  }

  /** Waits until exactly one of {@code live} reports {@code series} with {@code expected}, and the others none. */
  private static int awaitReportedOnce(List<Integer> live, String series, String label, String value,
                                       double expected) {
    List<List<Double>> seen = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        List<Double> values = perNode(live, series, label, value);
        seen.add(values);
        return values.stream().filter(v -> v != null).count() == 1 && values.contains(expected);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(series + "{" + label + "=" + value + "} per node never showed " + expected
        + " on exactly one node; last seen " + (seen.isEmpty() ? "nothing" : seen.get(seen.size() - 1)), e);
    }
    List<Double> last = seen.get(seen.size() - 1);
    return live.get(last.indexOf(expected));
  }

  @Test
  void eachDestinationIsReportedOnceByItsOwnerAndSubscribersAddUp() {
    String q = "metrics-cluster-q";
    String t = "metrics-cluster-t";
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sends.add(nodes.brokers.get(i % 3).queue(q).send(Buffer.buffer("m" + i)));
    }
    Future.all(sends).await();
    List<Delivery> got = new ArrayList<>();
    while (got.size() < 60) {
      got.addAll(nodes.brokers.get(1).queue(q).receive(60 - got.size(), Duration.ofSeconds(5),
        Duration.ofMinutes(5)).await());
    }
    for (Delivery d : got) {
      d.ack().await();
    }
    for (int i = 0; i < 10; i++) {
      nodes.brokers.get(i % 3).topic(t).publish(Buffer.buffer("p" + i)).await();
    }
    Subscription s0 = nodes.brokers.get(0).topic(t).subscribe(Position.EARLIEST, m -> { }).await();
    Subscription s2 = nodes.brokers.get(2).topic(t).subscribe(Position.EARLIEST, m -> { }).await();

    List<Integer> all = List.of(0, 1, 2);
    int queueOwner = awaitReportedOnce(all, "ferrymq_queue_ready_messages", "queue", q, 40);
    assertThat(queueOwner).isEqualTo(nodes.ownerOfQueue(q));
    awaitReportedOnce(all, "ferrymq_queue_acked_messages_total", "queue", q, 60);
    awaitReportedOnce(all, "ferrymq_queue_sent_messages_total", "queue", q, 100);
    awaitReportedOnce(all, "ferrymq_queue_delivered_messages_total", "queue", q, 60);
    int topicOwner = awaitReportedOnce(all, "ferrymq_topic_last_seq", "topic", t, 10);
    String topicOwnerId = nodes.brokers.get(0).cluster().await().owners().get("topic:" + t);
    assertThat(nodes.brokers.get(topicOwner).nodeId()).isEqualTo(topicOwnerId);
    awaitReportedOnce(all, "ferrymq_topic_published_messages_total", "topic", t, 10);
    // Subscribers live where they subscribed: each node reports its own and the sum is the topic's.
    await().atMost(Duration.ofSeconds(30)).until(() -> perNode(all, "ferrymq_topic_subscribers", "topic", t)
      .equals(java.util.Arrays.asList(1.0, null, 1.0)));
    for (int i : all) {
      Scrape s = scrape(i);
      assertThat(s.value("ferrymq_cluster_members")).isEqualTo(3);
      assertThat(s.value("ferrymq_owner_takeovers_total", "kind", "queue")).isNotNull();
    }
    s0.close().await();
    s2.close().await();

    // The owner of the queue leaves: another node takes it over, reports it alone, and counts the take-over.
    List<Double> takeoversBefore = perNode(all, "ferrymq_owner_takeovers_total", "kind", "queue");
    nodes.stop(queueOwner);
    List<Integer> live = new ArrayList<>(all);
    live.remove(Integer.valueOf(queueOwner));
    nodes.brokers.get(live.get(0)).queue(q).stats().await(); // a call starts the new owner
    int newOwner = awaitReportedOnce(live, "ferrymq_queue_ready_messages", "queue", q, 40);
    double after = scrape(newOwner).value("ferrymq_owner_takeovers_total", "kind", "queue");
    assertThat(after).as("take-overs on the new owner, before: " + takeoversBefore)
      .isGreaterThan(takeoversBefore.get(newOwner));
    // A fresh owner counts from its start.
    assertThat(scrape(newOwner).value("ferrymq_queue_acked_messages_total", "queue", q)).isEqualTo(0);
  }
}
