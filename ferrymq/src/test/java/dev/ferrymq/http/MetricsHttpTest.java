package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Position;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueConsumer;
import dev.ferrymq.Scrape;
import dev.ferrymq.SendOptions;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** The series of {@code GET /metrics} after known workloads on one node, and who may read them. */
@Timeout(120)
class MetricsHttpTest extends GatewayTestBase {

  private static Scrape scrape() {
    HttpResponse<Buffer> r = get("/metrics");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    return Scrape.parse(r.bodyAsString());
  }

  /** Waits until {@code series{label="value"}} is {@code expected}, and says what it saw if it never is. */
  private static void awaitValue(String series, String label, String value, double expected) {
    Scrape[] last = new Scrape[1];
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        last[0] = scrape();
        Double v = last[0].value(series, label, value);
        return v != null && v == expected;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(series + "{" + label + "=" + value + "} never became " + expected + "; last scrape:\n"
        + last[0].linesWith(value), e);
    }
  }

  @Test
  void queueSeriesAfterSendsAcksNacksAndRejects(TestInfo info) {
    String q = unique(info);
    Queue queue = broker.queue(q);
    sendAll(queue, 100);
    List<Delivery> first = queue.receive(70, Duration.ofSeconds(5), Duration.ofMinutes(5)).await();
    assertThat(first).hasSize(70);
    for (int i = 0; i < 60; i++) {
      first.get(i).ack().await();
    }
    for (int i = 60; i < 70; i++) {
      first.get(i).nack(Duration.ZERO).await();
    }
    List<Delivery> again = queue.receive(5, Duration.ofSeconds(5), Duration.ofMinutes(5)).await();
    assertThat(again).hasSize(5).allMatch(d -> d.deliveryCount() == 2);
    again.get(0).reject().await();
    again.get(1).reject().await();
    queue.send(Buffer.buffer("later"), new SendOptions().setDelay(Duration.ofHours(1))).await();
    clock.advance(Duration.ofSeconds(30));

    awaitValue("ferrymq_queue_ready_messages", "queue", q, 35);
    awaitValue("ferrymq_queue_dead_lettered_messages_total", "queue", q, 2);
    Scrape s = scrape();
    String seen = s.linesWith(q);
    assertThat(s.value("ferrymq_queue_in_flight_messages", "queue", q)).as(seen).isEqualTo(3);
    assertThat(s.value("ferrymq_queue_delayed_messages", "queue", q)).as(seen).isEqualTo(1);
    assertThat(s.value("ferrymq_queue_sent_messages_total", "queue", q)).as(seen).isEqualTo(101);
    assertThat(s.value("ferrymq_queue_delivered_messages_total", "queue", q)).as(seen).isEqualTo(75);
    assertThat(s.value("ferrymq_queue_redelivered_messages_total", "queue", q)).as(seen).isEqualTo(5);
    assertThat(s.value("ferrymq_queue_acked_messages_total", "queue", q)).as(seen).isEqualTo(60);
    assertThat(s.value("ferrymq_queue_consumers", "queue", q)).as(seen).isEqualTo(0);
    assertThat(s.value("ferrymq_queue_oldest_ready_age_seconds", "queue", q)).as(seen).isBetween(30.0, 300.0);
    // The dead-letter queue is a queue of its own, and its depth is also the source queue's dead letters.
    awaitValue("ferrymq_queue_dead_letter_messages", "queue", q, 2);
    assertThat(scrape().value("ferrymq_queue_ready_messages", "queue", q + ".dlq")).as(seen).isEqualTo(2);
    assertThat(s.value("ferrymq_memory_held_bytes")).isPositive();
    assertThat(s.value("ferrymq_memory_alarm")).isEqualTo(0);
  }

  @Test
  void consumersAndAnEmptyQueue(TestInfo info) {
    String q = unique(info);
    QueueConsumer c = broker.queue(q).consumer(new ConsumerOptions().setPrefetch(5), Delivery::ack).await();
    awaitValue("ferrymq_queue_consumers", "queue", q, 1);
    sendAll(broker.queue(q), 20);
    awaitValue("ferrymq_queue_acked_messages_total", "queue", q, 20);
    Scrape s = scrape();
    assertThat(s.value("ferrymq_queue_ready_messages", "queue", q)).as(s.linesWith(q)).isEqualTo(0);
    assertThat(s.value("ferrymq_queue_oldest_ready_age_seconds", "queue", q)).as(s.linesWith(q)).isEqualTo(0);
    c.close().await();
    awaitValue("ferrymq_queue_consumers", "queue", q, 0);
    // A deleted queue's owner stops: its series go.
    broker.queue(q).delete().await();
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().find("ferrymq_queue_ready_messages", "queue", q)
      .isEmpty());
  }

  @Test
  void topicSeriesAndSubscribers(TestInfo info) {
    String t = unique(info);
    Topic topic = broker.topic(t);
    for (int i = 0; i < 10; i++) {
      topic.publish(Buffer.buffer("p" + i)).await();
    }
    Subscription sub = topic.subscribe(Position.EARLIEST, m -> { }).await();
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events", null);
    try {
      awaitValue("ferrymq_topic_last_seq", "topic", t, 10);
      awaitValue("ferrymq_topic_published_messages_total", "topic", t, 10);
      awaitValue("ferrymq_topic_subscribers", "topic", t, 2); // the Java subscription and the SSE stream
      awaitValue("ferrymq_topic_history_messages", "topic", t, 10); // measured every 5 s
      assertThat(scrape().value("ferrymq_sse_streams")).isEqualTo(1);
    } finally {
      sse.close();
      sub.close().await();
    }
    // No subscriber left on this node: its series goes.
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().find("ferrymq_topic_subscribers", "topic", t)
      .isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("ferrymq_sse_streams") == 0);
  }

  @Test
  void nodeSeries() {
    broker.queue("metrics-node").send(Buffer.buffer("x")).await(); // a store commit at least
    Scrape s = scrape();
    assertThat(s.value("ferrymq_cluster_members")).isEqualTo(1);
    assertThat(s.value("ferrymq_memory_high_watermark_bytes")).isPositive();
    assertThat(s.value("ferrymq_http_connections")).isGreaterThanOrEqualTo(1); // this scrape's
    assertThat(s.value("ferrymq_store_commit_seconds_count")).isPositive();
    assertThat(s.find("ferrymq_store_commit_seconds_bucket", null, null)).isNotEmpty();
    assertThat(s.value("ferrymq_store_commit_batch_writes_count")).isPositive();
    assertThat(s.value("ferrymq_owner_takeovers_total", "kind", "queue")).isEqualTo(0); // one node: nothing to take
    assertThat(s.value("ferrymq_owner_takeovers_total", "kind", "topic")).isEqualTo(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("ferrymq_cluster_partitions_safe") == 1);
  }

  @Test
  void refusedRequestsAreCountedByTheirProblemType() {
    String reason = "not-found";
    Double before = scrape().value("ferrymq_http_rejected_requests_total", "reason", reason);
    assertThat(get("/queues/never-made-" + System.nanoTime()).statusCode()).isEqualTo(404);
    assertThat(get("/topics/never-made-" + System.nanoTime()).statusCode()).isEqualTo(404);
    double after = scrape().value("ferrymq_http_rejected_requests_total", "reason", reason);
    assertThat(after - (before == null ? 0 : before)).isEqualTo(2);
  }

  @Test
  void withAuthMetricsNeedAdminUnlessOpened() {
    AuthOptions auth = new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER)
      .setAudience(Tokens.AUDIENCE);
    Tokens tokens = new Tokens(vertx);
    GatewayVerticle secured = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth));
    GatewayVerticle opened = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth)
      .setMetricsOpen(true));
    String securedId = vertx.deployVerticle(secured).await();
    String openedId = vertx.deployVerticle(opened).await();
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    try {
      String admin = tokens.grant(new JsonObject().put("admin", true));
      String publisher = tokens.grant(new JsonObject().put("publish", new io.vertx.core.json.JsonArray().add("*")));
      HttpResponse<Buffer> none = web.get(secured.actualPort(), "127.0.0.1", "/metrics").send().await();
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.getHeader("Content-Type")).isEqualTo("application/problem+json");
      HttpResponse<Buffer> notAdmin = web.get(secured.actualPort(), "127.0.0.1", "/metrics")
        .bearerTokenAuthentication(publisher).send().await();
      assertThat(notAdmin.statusCode()).isEqualTo(403);
      HttpResponse<Buffer> asAdmin = web.get(secured.actualPort(), "127.0.0.1", "/metrics")
        .bearerTokenAuthentication(admin).send().await();
      assertThat(asAdmin.statusCode()).isEqualTo(200);
      assertThat(asAdmin.bodyAsString()).contains("ferrymq_cluster_members");
      HttpResponse<Buffer> open = web.get(opened.actualPort(), "127.0.0.1", "/metrics").send().await();
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.bodyAsString()).contains("ferrymq_cluster_members");
      // The same gateway still wants a token everywhere else.
      assertThat(web.get(opened.actualPort(), "127.0.0.1", "/queues").send().await().statusCode()).isEqualTo(401);
      assertThat(Scrape.parse(open.bodyAsString()).value("ferrymq_http_rejected_requests_total", "reason",
        "unauthorized")).isGreaterThanOrEqualTo(1);
    } finally {
      web.close();
      vertx.undeploy(securedId).await();
      vertx.undeploy(openedId).await();
    }
  }
}
