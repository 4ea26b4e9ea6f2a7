package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.MercureOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real browser's {@code EventSource} (headless Chromium, as {@link BrowserEventSourceTest}) on the Mercure hub:
 * exact topics, several selectors, URI templates, {@code *}, updates with several topics, non-matching topics not
 * delivered, and private updates only for the subscriber whose token allows them.
 */
class MercureBrowserTest extends BrokerTestBase {

  static final String CHROMIUM = "/usr/bin/chromium";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String B = "https://example.com/browser";

  private static final String PAGE = """
    <!doctype html><html><body><script>
    const state = {};
    let n = 0;
    const report = () => fetch('/test/report', {method: 'POST', body: JSON.stringify({n: ++n, ...state})});
    function open(name, query) {
      state[name] = {open: false, got: []};
      const es = new EventSource('/mq/.well-known/mercure?' + query);
      const on = e => { state[name].got.push({id: e.lastEventId, type: e.type, data: e.data}); report(); };
      es.onmessage = on;
      es.addEventListener('author-changed', on);
      es.onopen = () => { state[name].open = true; report(); };
    }
    SUBSCRIPTIONS
    </script></body></html>
    """;

  static Process chromium(Path profile, String url) throws java.io.IOException {
    return new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + profile, url)
      .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
  }

  static void stop(Process chromium, Path profile) throws InterruptedException {
    chromium.destroy();
    if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      chromium.waitFor(10, TimeUnit.SECONDS);
    }
    try (var paths = Files.walk(profile)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temp dir left behind is harmless.
    }
  }

  private static String q(String... selectors) {
    StringBuilder sb = new StringBuilder();
    for (String s : selectors) {
      sb.append(sb.length() == 0 ? "" : "&").append("topic=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  @Test
  void eventSourcesReceiveExactlyWhatTheirSelectorsAndTokensAllow() throws Exception {
    Assumptions.assumeTrue(new File(CHROMIUM).canExecute(),
      "headless Chromium not found at " + CHROMIUM + ": apt-get install -y --no-install-recommends chromium");
    MercureTokens tokens = new MercureTokens(vertx);
    String inbox = B + "/users/42/inbox";
    // Two pages, one after the other: over HTTP/1.1 a browser opens at most 6 connections per host, and the page's
    // reports need one too.
    JsonObject s = run(tokens, "mercure-browser-1", Map.of(
      "exact", q(B + "/books/1"),
      "several", q(B + "/books/1", B + "/authors/9"),
      "template", q(B + "/books/{id}"),
      "star", q("*")));
    assertThat(data(s, "exact")).containsExactly("book1", "end");
    assertThat(data(s, "several")).containsExactly("book1", "book2+author", "author", "end");
    assertThat(data(s, "template")).containsExactly("book1", "book2+author", "end");
    assertThat(data(s, "star")).containsExactly("book1", "book2+author", "author", "hello", "unrelated", "end");
    JsonObject first = s.getJsonObject("exact").getJsonArray("got").getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(s.getString("book1Id"));
    assertThat(first.getString("type")).isEqualTo("message");
    JsonObject typed = s.getJsonObject("several").getJsonArray("got").getJsonObject(2);
    assertThat(typed.getString("type")).isEqualTo("author-changed");
    assertThat(typed.getString("id")).isEqualTo(s.getString("authorId"));

    s = run(tokens, "mercure-browser-2", Map.of(
      "anonymousInbox", q(inbox),
      "authorizedInbox", q(inbox) + "&authorization=" + tokens.subscriber(B + "/users/{id}/inbox"),
      "nothing", q(B + "/nothing")));
    assertThat(data(s, "anonymousInbox")).containsExactly("hello", "end");
    assertThat(data(s, "authorizedInbox")).containsExactly("secret", "hello", "end");
    assertThat(data(s, "nothing")).containsExactly("end");
  }

  /** Opens the page with these subscriptions, publishes the same updates, and @return what the browser got */
  private static JsonObject run(MercureTokens tokens, String hubTopic, Map<String, String> subscriptions)
      throws Exception {
    String inbox = B + "/users/42/inbox";
    StringBuilder js = new StringBuilder();
    subscriptions.forEach((name, query) -> js.append("open('").append(name).append("', '").append(query)
      .append("');\n"));
    AtomicReference<JsonObject> state = new AtomicReference<>(new JsonObject());
    Router app = Router.router(vertx);
    app.get("/test/page").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
      .end(PAGE.replace("SUBSCRIPTIONS", js)));
    app.post("/test/report").handler(ctx -> ctx.request().body().onSuccess(b -> {
      JsonObject next = new JsonObject(b);
      // Several reports can be in flight and arrive out of order: the newest (highest n) wins.
      state.updateAndGet(old -> next.getInteger("n", 0) >= old.getInteger("n", 0) ? next : old);
      ctx.response().setStatusCode(204).end();
    }));
    GatewayOptions options = new GatewayOptions().setRetry(Duration.ofMillis(500)).setMercure(new MercureOptions()
      .setTopic(hubTopic).setPublisherJwtKey(MercureTokens.PUBLISHER_KEY)
      .setSubscriberJwtKey(MercureTokens.SUBSCRIBER_KEY).setAnonymous(true));
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, options));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.actualPort()));
    Path profile = Files.createTempDirectory("ferrymq-chromium");
    Process chromium = chromium(profile, "http://127.0.0.1:" + server.actualPort() + "/test/page");
    try {
      awaitState(state, s -> subscriptions.keySet().stream().allMatch(n -> s.getJsonObject(n, new JsonObject())
        .getBoolean("open", false)), "every EventSource open");
      String pub = tokens.publisher(B + "/{+rest}");
      String book1 = publish(client, pub, "topic", B + "/books/1", "data", "book1");
      publish(client, pub, "topic", B + "/books/2", "topic", B + "/authors/9", "data", "book2+author");
      String author = publish(client, pub, "topic", B + "/authors/9", "data", "author", "type", "author-changed");
      publish(client, pub, "topic", inbox, "data", "secret", "private", "on");
      publish(client, pub, "topic", inbox, "data", "hello");
      publish(client, pub, "topic", B + "/unrelated", "data", "unrelated");
      publish(client, pub, "topic", B + "/books/1", "topic", inbox, "topic", B + "/nothing", "data", "end");
      awaitState(state, s -> subscriptions.keySet().stream().allMatch(n -> data(s, n).contains("end")),
        "\"end\" on every EventSource");
      return state.get().copy().put("book1Id", book1).put("authorId", author);
    } finally {
      stop(chromium, profile);
      client.close();
      server.close().await();
    }
  }

  static String publish(WebClient client, String token, String... kv) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) {
      form.add(kv[i], kv[i + 1]);
    }
    var r = client.post("/mq/.well-known/mercure").bearerTokenAuthentication(token).sendForm(form).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsString();
  }

  static List<String> data(JsonObject state, String name) {
    JsonArray got = state.getJsonObject(name, new JsonObject()).getJsonArray("got", new JsonArray());
    return got.stream().map(o -> ((JsonObject) o).getString("data")).toList();
  }

  static void awaitState(AtomicReference<JsonObject> state, java.util.function.Predicate<JsonObject> done,
                         String what) {
    try {
      Awaitility.await().atMost(WAIT).until(() -> done.test(state.get()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waited for " + what + "; the browser reported: " + state.get().encodePrettily(), e);
    }
  }
}
