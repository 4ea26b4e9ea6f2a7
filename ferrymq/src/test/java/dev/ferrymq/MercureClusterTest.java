package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.broker.BrokerImpl;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Mercure hub in a 3-node cluster (in-JVM brokers, each with its own gateway): a subscriber on the node that owns
 * the hub's log reads some updates, that node dies (its Hazelcast member terminated as kill -9 would, its gateway
 * gone),
 * more updates are published through a survivor, and the subscriber resumes on another node with the last id it saw:
 * it misses nothing and repeats nothing.
 */
class MercureClusterTest {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final String TOPIC = "https://example.com/cluster/books/{id}";
  private static final Pattern EVENT = Pattern.compile("id: (.*)\ndata: (.*)\n\n");

  ClusterNodes nodes;
  final List<GatewayVerticle> gateways = new ArrayList<>();

  @BeforeEach
  void start() {
    nodes = ClusterNodes.start(3);
    for (Broker b : nodes.brokers) {
      // No keys and a loopback gateway without auth: the hub is open, as FerryMQ's own routes are then.
      GatewayVerticle g = new GatewayVerticle(b, new GatewayOptions().setPort(0)
        .setHeartbeatInterval(Duration.ofMillis(500)).setRetry(Duration.ofMillis(500)));
      nodes.vertxes.get(nodes.brokers.indexOf(b)).deployVerticle(g).await();
      gateways.add(g);
    }
  }

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** @return the index of the node that owns the hub's log now */
  int ownerOfHub() {
    String ownerId = nodes.brokers.get(0).cluster().await().owners().get("topic:" + MercureOptions.DEFAULT_TOPIC);
    for (int i = 0; i < nodes.brokers.size(); i++) {
      if (nodes.brokers.get(i).nodeId().equals(ownerId)) {
        return i;
      }
    }
    throw new IllegalStateException("no node owns the hub's topic (" + ownerId + ")");
  }

  /** Kills node {@code i} for the cluster (its member terminated, as kill -9 would) and drops its HTTP connections. */
  void kill(int i) {
    ((BrokerImpl) nodes.brokers.get(i)).hazelcast().getLifecycleService().terminate();
    nodes.vertxes.get(i).undeploy(gateways.get(i).deploymentID()).await();
  }

  String publish(int node, String data) {
    WebClient client = WebClient.create(nodes.vertxes.get(node));
    try {
      // The first publishes after a node's death wait for the log's new owner (FerryMQ retries up to 15 s).
      var r = client.post(gateways.get(node).actualPort(), "127.0.0.1", "/.well-known/mercure")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("topic", "https://example.com/cluster/books/1")
          .add("data", data)).await();
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      return r.bodyAsString();
    } finally {
      client.close();
    }
  }

  @Test
  void aSubscriberResumesOnAnotherNodeAfterItsNodeDiesMissingNothing() {
    publish(0, "u1");
    int owner = ownerOfHub();
    int survivor = (owner + 1) % 3;
    List<String> ids = new ArrayList<>(List.of(publish(owner, "u2"), publish(owner, "u3")));

    StringBuffer first = new StringBuffer();
    HttpClient http = nodes.vertxes.get(survivor).createHttpClient();
    try {
      HttpClientResponse r1 = open(http, gateways.get(owner).actualPort(), "lastEventID=earliest", null, first);
      awaitEvents(first, 3);
      assertThat(events(first)).extracting(e -> e[1]).containsExactly("u1", "u2", "u3");
      String lastSeen = events(first).get(2)[0];
      assertThat(lastSeen).isEqualTo(ids.get(1));

      kill(owner);
      r1.request().connection().close();
      String u4 = publish(survivor, "u4");
      String u5 = publish((survivor + 1) % 3, "u5");

      StringBuffer second = new StringBuffer();
      int other = (survivor + 1) % 3; // resume on the third node, which neither served nor published u2, u3
      HttpClientResponse r2 = open(http, gateways.get(other).actualPort(), null, lastSeen, second);
      assertThat(r2.getHeader("Last-Event-ID")).isEqualTo(lastSeen);
      String u6 = publish(survivor, "u6");
      awaitEvents(second, 3);
      assertThat(events(second)).extracting(e -> e[1]).containsExactly("u4", "u5", "u6");
      assertThat(events(second)).extracting(e -> e[0]).containsExactly(u4, u5, u6);
    } finally {
      http.close();
    }
  }

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String PAGE = """
    <!doctype html><html><body><script>
    const got = [];
    let errors = 0;
    let n = 0;
    const report = () => fetch('/test/report', {method: 'POST', body: JSON.stringify({n: ++n, got, errors})});
    const es = new EventSource('/mq/.well-known/mercure?topic=' + encodeURIComponent('TOPIC')
      + '&lastEventID=earliest');
    es.onmessage = e => { got.push({id: e.lastEventId, data: e.data}); report(); };
    es.onerror = () => { errors++; report(); };
    </script></body></html>
    """;

  /**
   * The same with a real browser behind a load balancer (a small proxy in the test that sends every request to the
   * node it currently points at): the node serving the {@code EventSource} and owning the hub's log dies, the proxy
   * points at a survivor, and the browser reconnects by itself with {@code Last-Event-ID}.
   */
  @Test
  void aBrowserResumesThroughALoadBalancerAfterItsNodeDies() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File(CHROMIUM).canExecute(),
      "headless Chromium not found at " + CHROMIUM + ": apt-get install -y --no-install-recommends chromium");
    publish(0, "u1");
    int owner = ownerOfHub();
    int survivor = (owner + 1) % 3;
    publish(owner, "u2");
    String u3 = publish(owner, "u3");

    io.vertx.core.Vertx front = io.vertx.core.Vertx.vertx();
    java.util.concurrent.atomic.AtomicInteger backend = new java.util.concurrent.atomic.AtomicInteger(
      gateways.get(owner).actualPort());
    List<String> lastEventIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.json.JsonObject> report =
      new java.util.concurrent.atomic.AtomicReference<>(new io.vertx.core.json.JsonObject()
        .put("got", new io.vertx.core.json.JsonArray()));
    io.vertx.ext.web.Router app = io.vertx.ext.web.Router.router(front);
    app.get("/test/page").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
      .end(PAGE.replace("TOPIC", TOPIC)));
    app.post("/test/report").handler(ctx -> ctx.request().body().onSuccess(b -> {
      io.vertx.core.json.JsonObject next = new io.vertx.core.json.JsonObject(b);
      // Several reports can be in flight and arrive out of order: the newest (highest n) wins.
      report.updateAndGet(old -> next.getInteger("n", 0) >= old.getInteger("n", 0) ? next : old);
      ctx.response().setStatusCode(204).end();
    }));
    HttpClient proxy = front.createHttpClient();
    app.route("/mq/*").handler(ctx -> {
      var in = ctx.request();
      lastEventIds.add(String.valueOf(in.getHeader("Last-Event-ID")));
      RequestOptions o = new RequestOptions().setMethod(in.method()).setHost("127.0.0.1").setPort(backend.get())
        .setURI(in.uri().substring("/mq".length()));
      in.headers().forEach(h -> {
        if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Connection")) {
          o.addHeader(h.getKey(), h.getValue());
        }
      });
      in.pause();
      proxy.request(o).compose(out -> out.send(in)).onSuccess(resp -> {
        ctx.response().setStatusCode(resp.statusCode());
        resp.headers().forEach(h -> {
          if (!h.getKey().equalsIgnoreCase("Transfer-Encoding") && !h.getKey().equalsIgnoreCase("Connection")) {
            ctx.response().putHeader(h.getKey(), h.getValue());
          }
        });
        if (resp.getHeader("Content-Length") == null) {
          ctx.response().setChunked(true);
        }
        resp.pipeTo(ctx.response()).onFailure(e -> in.connection().close());
      }).onFailure(e -> ctx.response().setStatusCode(502).end());
    });
    io.vertx.core.http.HttpServer server = front.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("ferrymq-chromium");
    Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + profile, "http://127.0.0.1:" + server.actualPort() + "/test/page")
      .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      awaitGot(report, 3);
      assertThat(got(report)).containsExactly("u1", "u2", "u3");

      backend.set(gateways.get((survivor + 1) % 3).actualPort()); // the balancer stops sending to the dying node
      kill(owner);
      String u4 = publish(survivor, "u4");
      String u5 = publish(survivor, "u5");
      awaitGot(report, 5);
      assertThat(got(report)).containsExactly("u1", "u2", "u3", "u4", "u5");
      assertThat(lastEventIds).contains(u3);
      var last = report.get().getJsonArray("got").getJsonObject(4);
      assertThat(last.getString("id")).isEqualTo(u5);
      assertThat(report.get().getJsonArray("got").getJsonObject(3).getString("id")).isEqualTo(u4);
    } finally {
      chromium.destroy();
      if (!chromium.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
      }
      front.close().await();
      try (var paths = java.nio.file.Files.walk(profile)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<String> got(java.util.concurrent.atomic.AtomicReference<io.vertx.core.json.JsonObject> report) {
    return report.get().getJsonArray("got").stream()
      .map(o -> ((io.vertx.core.json.JsonObject) o).getString("data")).toList();
  }

  private static void awaitGot(java.util.concurrent.atomic.AtomicReference<io.vertx.core.json.JsonObject> report,
                               int n) {
    try {
      Awaitility.await().atMost(WAIT).until(() -> got(report).size() >= n);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waited for " + n + " updates; the browser reported: " + report.get().encode(), e);
    }
  }

  static HttpClientResponse open(HttpClient http, int port, String query, String lastEventId, StringBuffer into) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI("/.well-known/mercure?topic=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8)
        + (query == null ? "" : "&" + query));
    if (lastEventId != null) {
      o.addHeader("Last-Event-ID", lastEventId);
    }
    return http.request(o).compose(req -> req.send().map(resp -> {
      resp.handler(b -> into.append(b.toString(StandardCharsets.UTF_8)));
      resp.exceptionHandler(e -> { });
      return resp;
    })).await();
  }

  static List<String[]> events(StringBuffer text) {
    List<String[]> out = new ArrayList<>();
    Matcher m = EVENT.matcher(text.toString());
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  static void awaitEvents(StringBuffer text, int n) {
    try {
      Awaitility.await().atMost(WAIT).until(() -> events(text).size() >= n);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waited for " + n + " events; the stream said:\n" + text, e);
    }
  }
}
