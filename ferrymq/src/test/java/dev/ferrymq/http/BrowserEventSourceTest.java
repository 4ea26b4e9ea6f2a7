package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A real browser: headless Chromium (Debian package {@code chromium}, installed by {@code .ci/run} with
 * {@code apt-get install -y --no-install-recommends chromium}) opens an {@code EventSource} on a topic, the test drops
 * the stream, and the browser resumes by itself with {@code Last-Event-ID}, missing nothing and repeating nothing.
 */
class BrowserEventSourceTest extends BrokerTestBase {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static final String PAGE = """
    <!doctype html><html><body><script>
    const got = [];
    let errors = 0;
    let n = 0;
    const report = () => fetch('/test/report', {method: 'POST', body: JSON.stringify({n: ++n, got, errors})});
    const es = new EventSource('/mq/topics/TOPIC/events?from=earliest');
    es.onmessage = e => { got.push({id: e.lastEventId, data: e.data}); report(); };
    es.onerror = () => { errors++; report(); };
    </script></body></html>
    """;

  @Test
  void eventSourceResumesWithLastEventIdAfterTheStreamDrops(TestInfo info) throws Exception {
    Assumptions.assumeTrue(new File(CHROMIUM).canExecute(),
      "headless Chromium not found at " + CHROMIUM + ": apt-get install -y --no-install-recommends chromium");
    String topic = unique(info);
    List<HttpConnection> streams = new CopyOnWriteArrayList<>();
    List<String> lastEventIds = new CopyOnWriteArrayList<>();
    AtomicReference<JsonObject> report = new AtomicReference<>(new JsonObject().put("got", new JsonArray()));

    Router app = Router.router(vertx);
    app.get("/test/page").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
      .end(PAGE.replace("TOPIC", topic)));
    app.post("/test/report").handler(ctx -> ctx.request().body().onSuccess(b -> {
      JsonObject next = new JsonObject(b);
      // Several reports can be in flight and arrive out of order: the newest (highest n) wins.
      report.updateAndGet(old -> next.getInteger("n", 0) >= old.getInteger("n", 0) ? next : old);
      ctx.response().setStatusCode(204).end();
    }));
    app.get("/mq/topics/:topic/events").handler(ctx -> {
      streams.add(ctx.request().connection());
      lastEventIds.add(String.valueOf(ctx.request().getHeader("Last-Event-ID")));
      ctx.next();
    });
    GatewayOptions options = new GatewayOptions().setRetry(Duration.ofMillis(500));
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, options));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();

    broker.topic(topic).publish(Buffer.buffer("one")).await();
    broker.topic(topic).publish(Buffer.buffer("two\nlines")).await();
    Path profile = Files.createTempDirectory("ferrymq-chromium");
    Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + profile, "http://127.0.0.1:" + server.actualPort() + "/test/page")
      .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      Awaitility.await().atMost(WAIT).until(() -> got(report).size() == 2);
      streams.forEach(HttpConnection::close);
      broker.topic(topic).publish(Buffer.buffer("three")).await();
      broker.topic(topic).publish(Buffer.buffer("four")).await();
      Awaitility.await().atMost(WAIT).until(() -> got(report).size() >= 4);

      assertThat(got(report)).containsExactly("1:one", "2:two\nlines", "3:three", "4:four");
      assertThat(lastEventIds).hasSizeGreaterThanOrEqualTo(2);
      assertThat(lastEventIds.get(0)).isEqualTo("null");
      assertThat(lastEventIds.get(1)).isEqualTo("2");
      assertThat(report.get().getInteger("errors")).isGreaterThanOrEqualTo(1);
    } finally {
      chromium.destroy();
      if (!chromium.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
      }
      server.close().await();
      deleteTree(profile);
    }
  }

  private static List<String> got(AtomicReference<JsonObject> report) {
    return report.get().getJsonArray("got").stream()
      .map(o -> ((JsonObject) o).getString("id") + ":" + ((JsonObject) o).getString("data")).toList();
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temp dir left behind is harmless.
    }
  }
}
