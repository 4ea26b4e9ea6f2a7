package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Headless Chromium against a gateway with auth: an {@code EventSource} without the token cookie gets 401 (and, as
 * the spec says, gives up), then the page obtains the cookie and a new {@code EventSource} gets the stream.
 * Skipped when {@code /usr/bin/chromium} is absent.
 */
class BrowserCookieTest extends BrokerTestBase {

  private static final String CHROMIUM = "/usr/bin/chromium";

  private static final String PAGE = """
    <!doctype html><html><body><script>
    const got = [];
    const report = o => fetch('/test/report', {method: 'POST', body: JSON.stringify(o)});
    const first = new EventSource('/mq/topics/TOPIC/events?from=earliest');
    first.onerror = () => {
      const state = first.readyState;
      first.close();
      fetch('/test/login').then(() => {
        const es = new EventSource('/mq/topics/TOPIC/events?from=earliest');
        es.onmessage = e => { got.push(e.data); report({deniedState: state, got}); };
      });
    };
    </script></body></html>
    """;

  @Test
  void eventSourceGetsTheStreamWithTheCookieAnd401WithoutIt(TestInfo info) throws Exception {
    Assumptions.assumeTrue(new File(CHROMIUM).canExecute(), "headless Chromium not found at " + CHROMIUM);
    String topic = unique(info);
    String token = new Tokens(vertx).grant(new JsonObject().put("subscribe", new JsonArray().add(topic)));
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    AtomicReference<JsonObject> report = new AtomicReference<>();
    Router app = Router.router(vertx);
    app.get("/test/page").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
      .end(PAGE.replace("TOPIC", topic)));
    app.get("/test/login").handler(ctx -> ctx.response()
      .putHeader("Set-Cookie", "ferrymq_token=" + token + "; Path=/mq; HttpOnly; SameSite=Strict").end());
    app.post("/test/report").handler(ctx -> ctx.request().body().onSuccess(b -> {
      report.set(new JsonObject(b));
      ctx.response().setStatusCode(204).end();
    }));
    app.get("/mq/topics/:topic/events").handler(ctx -> {
      ctx.addHeadersEndHandler(v -> statuses.add(ctx.response().getStatusCode()));
      ctx.next();
    });
    AuthOptions auth = new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER)
      .setAudience(Tokens.AUDIENCE);
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, new GatewayOptions().setAuth(auth)));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    broker.topic(topic).publish(Buffer.buffer("one")).await();
    broker.topic(topic).publish(Buffer.buffer("two")).await();
    Path profile = Files.createTempDirectory("ferrymq-chromium");
    Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + profile, "http://127.0.0.1:" + server.actualPort() + "/test/page")
      .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> report.get() != null
        && report.get().getJsonArray("got").size() == 2);
      assertThat(report.get().getJsonArray("got").getList()).containsExactly("one", "two");
      assertThat(report.get().getInteger("deniedState")).as("EventSource.CLOSED: a 401 is final").isEqualTo(2);
      assertThat(statuses.get(0)).isEqualTo(401);
      assertThat(statuses).contains(200);
    } finally {
      chromium.destroy();
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
      }
      server.close().await();
      try (var paths = Files.walk(profile)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
