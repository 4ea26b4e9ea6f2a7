package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code GET /stats/events}, the dashboard's feed, and the files of {@code GET /}. */
class StatsStreamTest extends GatewayTestBase {

  @Test
  void oneSnapshotASecondWithTheQueuesTopicsAndCluster(TestInfo info) {
    String q = unique(info);
    String t = unique(info);
    Queue queue = broker.queue(q);
    queue.configure(new QueueOptions()).await();
    sendAll(queue, 7);
    broker.topic(t).publish(Buffer.buffer("x")).await();
    SseClient sse = SseClient.open(vertx, port, "/stats/events?limit=1000", null);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sse.of("stats").size() >= 3);
      List<JsonObject> snapshots = sse.of("stats").stream().map(e -> new JsonObject(e.data())).toList();
      JsonObject last = snapshots.get(snapshots.size() - 1);
      JsonObject mine = last.getJsonArray("queues").stream().map(o -> (JsonObject) o)
        .filter(o -> q.equals(o.getString("queue"))).findFirst().orElseThrow(() -> new AssertionError(last.encode()));
      assertThat(mine.getLong("depth")).isEqualTo(7);
      assertThat(mine.getLong("sent")).isEqualTo(7);
      assertThat(mine.getString("kind")).isEqualTo("queue");
      assertThat(last.getJsonArray("topics").stream().map(o -> ((JsonObject) o).getString("topic"))).contains(t);
      assertThat(mine.getString("owner")).isEqualTo(broker.nodeId());
      JsonObject member = last.getJsonObject("cluster").getJsonArray("members").getJsonObject(0);
      assertThat(member.getString("id")).isEqualTo(broker.nodeId());
      assertThat(member.getInteger("queues")).isGreaterThanOrEqualTo(1);
      assertThat(member.getInteger("topics")).isGreaterThanOrEqualTo(1);
      assertThat(last.getBoolean("moreQueues")).isFalse();
      // About a second apart (the box is loaded: at least 0.5 s, and a skipped tick may make it 2 s or more).
      long gap = snapshots.get(2).getLong("time") - snapshots.get(1).getLong("time");
      assertThat(gap).as(snapshots.toString()).isGreaterThanOrEqualTo(500);
    } finally {
      sse.close();
    }
  }

  @Test
  void aSmallLimitSaysThereIsMore(TestInfo info) {
    broker.queue(unique(info)).configure(new QueueOptions()).await();
    broker.queue(unique(info)).configure(new QueueOptions()).await();
    SseClient sse = SseClient.open(vertx, port, "/stats/events?limit=1", null);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !sse.of("stats").isEmpty());
      JsonObject first = new JsonObject(sse.of("stats").get(0).data());
      assertThat(first.getJsonArray("queues")).hasSize(1);
      assertThat(first.getBoolean("moreQueues")).isTrue();
    } finally {
      sse.close();
    }
  }

  @Test
  void theTimerStopsWhenTheClientGoes() {
    // The streams of other tests of this class are gone first (they close as their clients leave).
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> StatsStream.OPEN.get() == 0);
    SseClient sse = SseClient.open(vertx, port, "/stats/events", null);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !sse.of("stats").isEmpty());
      assertThat(StatsStream.OPEN.get()).isEqualTo(1);
    } finally {
      sse.close();
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(StatsStream.OPEN.get())
      .as("stats streams still running after their client left").isZero());
  }

  @Test
  void aLimitOutOfRangeIsAProblem() {
    HttpResponse<Buffer> r = get("/stats/events?limit=0");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("limit");
  }

  @Test
  void thePageAndItsFilesAreServedFromTheJar() {
    HttpResponse<Buffer> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(page.bodyAsString()).contains("<meta name=\"ferrymq-auth\" content=\"off\">")
      .contains("dashboard/app.js").doesNotContain("{{");
    for (String file : List.of("app.js", "charts.js", "style.css")) {
      HttpResponse<Buffer> r = get("/dashboard/" + file);
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      assertThat(r.bodyAsString()).as(file).isNotBlank();
    }
    assertThat(get("/dashboard/app.js").getHeader("Content-Type")).startsWith("text/javascript");
    HttpResponse<Buffer> missing = get("/dashboard/secret.txt");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(get("/dashboard/index.html").statusCode()).isEqualTo(404);
  }

  @Test
  void underAMountPrefixThePageIsAtThePrefixAndItsFilesBesideIt() {
    Router app = Router.router(vertx);
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, new GatewayOptions()));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    WebClient web = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> page = web.get(server.actualPort(), "127.0.0.1", "/mq/").send().await();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.bodyAsString()).contains("src=\"dashboard/app.js\"");
      assertThat(web.get(server.actualPort(), "127.0.0.1", "/mq/dashboard/app.js").send().await().statusCode())
        .isEqualTo(200);
    } finally {
      web.close();
      server.close().await();
    }
  }
}
