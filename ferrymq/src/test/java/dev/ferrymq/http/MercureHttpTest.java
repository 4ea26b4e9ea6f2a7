package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.MercureOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The hub over HTTP as Mercure users drive it: publishes with the form body of the Mercure documentation's curl
 * examples (sent by curl itself), subscriptions read as {@code curl -N} prints them, and the authorization, resume
 * and error rules.
 */
class MercureHttpTest extends BrokerTestBase {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static GatewayVerticle gateway;
  private static int port;
  private static WebClient client;
  private static MercureTokens tokens;

  @BeforeAll
  static void start() {
    MercureOptions mercure = new MercureOptions().setPublisherJwtKey(MercureTokens.PUBLISHER_KEY)
      .setSubscriberJwtKey(MercureTokens.SUBSCRIBER_KEY).setTopic("mercure-http");
    gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setHeartbeatInterval(Duration.ofMillis(500))
      .setMercure(mercure));
    vertx.deployVerticle(gateway).await();
    port = gateway.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    tokens = new MercureTokens(vertx);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
  }

  /** @return the IRI prefix of one test's topics (call once per test: each call is a new prefix) */
  private static String base(TestInfo info) {
    return "https://example.com/" + unique(info);
  }

  /** Waits until {@code text} shows {@code expected}; fails with what it showed. */
  private static void awaitContains(java.util.function.Supplier<String> text, String... expected) {
    try {
      Awaitility.await().atMost(WAIT).until(() -> java.util.Arrays.stream(expected).allMatch(text.get()::contains));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("expected " + java.util.Arrays.toString(expected) + " in:\n" + text.get(), e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<Buffer> publish(String token, MultiMap form) {
    var req = client.post("/.well-known/mercure");
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return req.sendForm(form).await();
  }

  private static MultiMap form(String... kv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) {
      m.add(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String hub(String query) {
    return "/.well-known/mercure?" + query;
  }

  @Test
  void curlPublishesAsTheMercureDocsShowAndCurlDashNReadsIt(TestInfo info) throws Exception {
    String b = base(info);
    Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute(), "curl not found at /usr/bin/curl");
    String book = b + "/books/1";
    String template = b + "/books/{id}";
    String url = "http://127.0.0.1:" + port + "/.well-known/mercure";
    Process sub = new ProcessBuilder("curl", "-N", "-s", "--max-time", "90", "-H",
      "Authorization: Bearer " + tokens.subscriber(), url + "?topic=" + enc(template)).start();
    StringBuffer seen = new StringBuffer();
    Thread reader = drain(sub.getInputStream(), seen);
    try {
      awaitContains(seen::toString, ": ferrymq");
      // Exactly the Mercure docs' example: -d fields, so curl sends application/x-www-form-urlencoded.
      Process pub = new ProcessBuilder("curl", "-s", "--max-time", "60", "-X", "POST", url,
        "-H", "Authorization: Bearer " + tokens.publisher("*"),
        "-d", "topic=" + book,
        "-d", "data={\"status\": \"checked out\"}").start();
      String id = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(id).as("publish answer").startsWith("urn:uuid:");
      String expected = "id: " + id + "\ndata: {\"status\": \"checked out\"}\n\n";
      awaitContains(seen::toString, expected);
    } finally {
      sub.destroy();
      sub.waitFor(10, TimeUnit.SECONDS);
      reader.join(10_000);
    }
    assertThat(seen.toString()).as("what curl -N printed").contains("retry: ");
  }

  private static Thread drain(InputStream in, StringBuffer into) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void eventsCarryIdTypeRetryAndMultiLineDataAndOnlyMatchingTopics(TestInfo info) {
    String b = base(info);
    String a = b + "/a";
    SseClient sse = SseClient.open(vertx, port, hub("topic=" + enc(a) + "&authorization=" + tokens.subscriber()),
      null);
    try {
      String pub = tokens.publisher("*");
      publish(pub, form("topic", b + "/other", "data", "not for you"));
      HttpResponse<Buffer> r = publish(pub, form("topic", a, "data", "l1\nl2", "id", "my-id-1", "type", "book",
        "retry", "1500"));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(r.bodyAsString()).isEqualTo("my-id-1");
      awaitContains(sse::raw, "data: l2");
      assertThat(sse.raw()).contains("id: my-id-1\nevent: book\nretry: 1500\ndata: l1\ndata: l2\n\n")
        .doesNotContain("not for you");
    } finally {
      sse.close();
    }
  }

  @Test
  void privateUpdatesReachOnlySubscribersWhoseTokenAllowsThem(TestInfo info) {
    String b = base(info);
    String inbox = b + "/users/42/inbox";
    String query = "topic=" + enc(inbox) + "&authorization=";
    SseClient allowed = SseClient.open(vertx, port, hub(query + tokens.subscriber(b + "/users/{id}/inbox")),
      null);
    SseClient other = SseClient.open(vertx, port, hub(query + tokens.subscriber(b + "/users/7/inbox")), null);
    try {
      String pub = tokens.publisher(inbox);
      assertThat(publish(pub, form("topic", inbox, "data", "secret", "private", "on")).statusCode()).isEqualTo(200);
      assertThat(publish(pub, form("topic", inbox, "data", "public")).statusCode()).isEqualTo(200);
      awaitContains(allowed::raw, "data: public");
      awaitContains(other::raw, "data: public");
      assertThat(allowed.raw()).contains("data: secret");
      assertThat(other.raw()).doesNotContain("secret");
    } finally {
      allowed.close();
      other.close();
    }
  }

  @Test
  void resumesAfterLastEventIdOrFromEarliestAndSaysWhereItStarted(TestInfo info) {
    String b = base(info);
    String t = b + "/r";
    String pub = tokens.publisher("*");
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ids.add(publish(pub, form("topic", t, "data", "u" + i)).bodyAsString());
    }
    String q = "topic=" + enc(t) + "&authorization=" + tokens.subscriber();

    SseClient byHeader = SseClient.open(vertx, port, hub(q), ids.get(0));
    SseClient byQuery = SseClient.open(vertx, port, hub(q + "&lastEventID=" + enc(ids.get(1))), null);
    SseClient earliest = SseClient.open(vertx, port, hub(q + "&lastEventID=earliest"), null);
    SseClient live = SseClient.open(vertx, port, hub(q), null);
    try {
      assertThat(byHeader.response.getHeader("Last-Event-ID")).isEqualTo(ids.get(0));
      assertThat(byQuery.response.getHeader("Last-Event-ID")).isEqualTo(ids.get(1));
      assertThat(earliest.response.getHeader("Last-Event-ID")).isEqualTo("earliest");
      assertThat(live.response.getHeader("Last-Event-ID")).isEqualTo(ids.get(2));
      assertThat(live.response.getHeader("Mercure-Last-Event-ID")).isEqualTo(ids.get(2));
      String fourth = publish(pub, form("topic", t, "data", "u4")).bodyAsString();
      for (SseClient c : List.of(live, byHeader, byQuery, earliest)) {
        awaitContains(c::raw, "data: u4");
      }
      assertThat(data(byHeader)).containsExactly("u2", "u3", "u4");
      assertThat(data(byQuery)).containsExactly("u3", "u4");
      assertThat(data(earliest)).containsExactly("u1", "u2", "u3", "u4");
      assertThat(data(live)).containsExactly("u4");
      assertThat(live.lastId()).isEqualTo(fourth);
    } finally {
      List.of(byHeader, byQuery, earliest, live).forEach(SseClient::close);
    }
  }

  private static List<String> data(SseClient sse) {
    return sse.events.stream().filter(e -> e.data() != null).map(SseClient.Event::data).toList();
  }

  @Test
  void refusesInPlainWordsWhatTheSpecificationRefuses(TestInfo info) {
    String b = base(info);
    String t = b + "/e";
    String pub = tokens.publisher(b + "/{x}");
    assertProblem(publish(null, form("topic", t, "data", "x")), 401);
    assertThat(publish(null, form("topic", t)).getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(publish(tokens.subscriber("*"), form("topic", t, "data", "x")), 401); // the subscriber's key
    assertProblem(publish(pub, form("topic", b + "/a/b", "data", "x")), 403);
    assertProblem(publish(pub, form("topic", t, "topic", "https://elsewhere.example/1")), 403);
    assertProblem(publish(pub, form("data", "no topic")), 400);
    assertProblem(publish(pub, form("topic", t, "retry", "soon")), 400);
    assertProblem(publish(pub, form("topic", t, "id", "earliest")), 400);
    assertProblem(client.post("/.well-known/mercure").bearerTokenAuthentication(pub)
      .sendJsonObject(new io.vertx.core.json.JsonObject().put("topic", t)).await(), 415);
    assertProblem(client.post("/.well-known/mercure").bearerTokenAuthentication(pub)
      .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("topic=%zz")).await(),
      400);
    assertProblem(client.get(hub("topic=" + enc(t))).send().await(), 401);
    assertProblem(client.get(hub("topic=" + enc(t) + "&authorization=" + tokens.expiredSubscriber())).send().await(),
      401);
    assertProblem(client.get(hub("topic=" + enc(t) + "&authorization=" + Tokens.unsigned(
      new io.vertx.core.json.JsonObject().put("mercure", new io.vertx.core.json.JsonObject())))).send().await(), 401);
    assertProblem(client.get("/.well-known/mercure").bearerTokenAuthentication(tokens.subscriber()).send().await(),
      400);
    // FerryMQ's own routes never reach the hub's log, whatever the token.
    assertProblem(client.get("/topics/mercure-http").bearerTokenAuthentication(pub).send().await(), 403);
  }

  @Test
  void ferryMqRoutesCannotReadOrWriteTheHubsLogTopic(TestInfo info) {
    // No FerryMQ auth here: every native route is open, yet the hub's log (private updates among them) is not.
    assertProblem(client.post("/topics/mercure-http/messages").sendBuffer(Buffer.buffer("forged")).await(), 403);
    assertProblem(client.get("/topics/mercure-http/messages").send().await(), 403);
    assertProblem(client.get("/topics/mercure-http/events").send().await(), 403);
    assertProblem(client.get("/events?topic=news,mercure-http").send().await(), 403);
    // Its options are an administrator's to set (here every route is open), e.g. memory-only updates.
    assertThat(client.put("/topics/mercure-http").sendJsonObject(new io.vertx.core.json.JsonObject()
      .put("durability", "MEMORY")).await().statusCode()).isEqualTo(200);
    assertProblem(client.put("/topics/mercure-http/messages").sendBuffer(Buffer.buffer("x")).await(), 403);
    String b = base(info);
    String inbox = b + "/inbox";
    String plain = unique(info);
    SseClient all = SseClient.open(vertx, port, "/events?topic=*&from=latest", null);
    try {
      awaitContains(all::raw, "id:");
      assertThat(publish(tokens.publisher(inbox), form("topic", inbox, "data", "secret", "private", "on"))
        .statusCode()).isEqualTo(200);
      assertThat(client.post("/topics/" + plain + "/messages").sendBuffer(Buffer.buffer("plain")).await()
        .statusCode()).isEqualTo(201);
      awaitContains(all::raw, "\"topic\":\"" + plain + "\"");
      assertThat(all.raw()).doesNotContain("secret").doesNotContain("mercure-http");
    } finally {
      all.close();
    }
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).as(r.bodyAsString()).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("detail")).doesNotContain("Exception");
  }

  @Test
  void aCookieAuthorizesASubscriptionButNeverAPublish(TestInfo info) {
    String b = base(info);
    String t = b + "/c";
    HttpResponse<Buffer> r = client.post("/.well-known/mercure")
      .putHeader("Cookie", "mercureAuthorization=" + tokens.publisher("*")).sendForm(form("topic", t)).await();
    assertProblem(r, 401);
    assertThat(streamStatus(hub("topic=" + enc(t)), "mercureAuthorization=" + tokens.subscriber())).isEqualTo(200);
    assertThat(streamStatus(hub("topic=" + enc(t)), "mercureAuthorization=" + tokens.publisher("*"))).isEqualTo(401);
    assertThat(streamStatus(hub("topic=" + enc(t)), "other=" + tokens.subscriber())).isEqualTo(401);
  }

  /** @return the status of a GET whose answer may be an endless stream: only its head is read */
  private static int streamStatus(String uri, String cookie) {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    try {
      return http.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.putHeader("Cookie", cookie).send()).map(r -> r.statusCode()).await();
    } finally {
      http.close();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
      + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static io.vertx.ext.auth.jwt.JWTAuth signer(String alg, java.security.PrivateKey key) {
    return io.vertx.ext.auth.jwt.JWTAuth.create(vertx, new io.vertx.ext.auth.jwt.JWTAuthOptions().addPubSecKey(
      new io.vertx.ext.auth.PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem("PRIVATE KEY", key.getEncoded()))));
  }

  @Test
  void publisherAndSubscriberKeysMayBeRsaAndEcEachItsOwn(TestInfo info) throws Exception {
    String b = base(info);
    var rsaGen = java.security.KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    var rsa = rsaGen.generateKeyPair();
    var ecGen = java.security.KeyPairGenerator.getInstance("EC");
    ecGen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var ec = ecGen.generateKeyPair();
    GatewayVerticle other = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setHeartbeatInterval(Duration.ofMillis(500)).setMercure(new MercureOptions().setTopic("mercure-keys")
        .setPublisherJwtAlg("RS256").setPublisherJwtKey(pem("PUBLIC KEY", rsa.getPublic().getEncoded()))
        .setSubscriberJwtAlg("ES256").setSubscriberJwtKey(pem("PUBLIC KEY", ec.getPublic().getEncoded()))));
    vertx.deployVerticle(other).await();
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(other.actualPort()));
    io.vertx.ext.auth.JWTOptions noExp = new io.vertx.ext.auth.JWTOptions().setNoTimestamp(true);
    io.vertx.core.json.JsonObject claims = new io.vertx.core.json.JsonObject().put("mercure",
      new io.vertx.core.json.JsonObject().put("publish", new io.vertx.core.json.JsonArray().add("*"))
        .put("subscribe", new io.vertx.core.json.JsonArray().add("*")));
    String rsaToken = signer("RS256", rsa.getPrivate()).generateToken(claims, noExp.setAlgorithm("RS256"));
    String ecToken = signer("ES256", ec.getPrivate()).generateToken(claims,
      new io.vertx.ext.auth.JWTOptions().setNoTimestamp(true).setAlgorithm("ES256"));
    SseClient sse = SseClient.open(vertx, other.actualPort(), hub("topic=" + enc(b) + "&authorization=" + ecToken),
      null);
    try {
      assertThat(sse.response.statusCode()).isEqualTo(200);
      var r = c.post("/.well-known/mercure").bearerTokenAuthentication(rsaToken)
        .sendForm(form("topic", b, "data", "signed", "private", "on")).await();
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      awaitContains(sse::raw, "data: signed");
      // Each key judges its own role only.
      assertProblem(c.post("/.well-known/mercure").bearerTokenAuthentication(ecToken)
        .sendForm(form("topic", b)).await(), 401);
      assertProblem(c.get(hub("topic=" + enc(b))).bearerTokenAuthentication(rsaToken).send().await(), 401);
    } finally {
      sse.close();
      c.close();
      vertx.undeploy(other.deploymentID()).await();
    }
  }

  @Test
  void subscriptionEventsAndTheSubscriptionsApiShowWhoIsSubscribed(TestInfo info) {
    String b = base(info);
    GatewayVerticle other = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setHeartbeatInterval(Duration.ofMillis(500)).setMercure(new MercureOptions().setTopic("mercure-subscriptions")
        .setPublisherJwtKey(MercureTokens.PUBLISHER_KEY).setSubscriberJwtKey(MercureTokens.SUBSCRIBER_KEY)
        .setSubscriptions(true)));
    vertx.deployVerticle(other).await();
    int p = other.actualPort();
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
    String events = "/.well-known/mercure/subscriptions/{topic}/{subscriber}";
    String watcherToken = tokens.subscriberClaim(new io.vertx.core.json.JsonObject().put("subscribe",
      new io.vertx.core.json.JsonArray().add(events).add("/.well-known/mercure/subscriptions{/topic}{/subscriber}")));
    SseClient watcher = SseClient.open(vertx, p, hub("topic=" + enc(events) + "&authorization=" + watcherToken), null);
    SseClient alice = null;
    try {
      alice = SseClient.open(vertx, p, hub("topic=" + enc(b) + "&authorization=" + tokens.subscriberClaim(
        new io.vertx.core.json.JsonObject().put("payload", new io.vertx.core.json.JsonObject().put("user", "alice")))),
        null);
      awaitContains(watcher::raw, "\"topic\":\"" + b + "\"");
      io.vertx.core.json.JsonObject opened = new io.vertx.core.json.JsonObject(watcher.events.stream()
        .filter(e -> e.data() != null && e.data().contains(b)).findFirst().orElseThrow().data());
      assertThat(opened.getString("type")).isEqualTo("Subscription");
      assertThat(opened.getBoolean("active")).isTrue();
      assertThat(opened.getJsonObject("payload").getString("user")).isEqualTo("alice");
      String subscriber = opened.getString("subscriber");
      assertThat(subscriber).startsWith("urn:uuid:");
      assertThat(opened.getString("id")).isEqualTo("/.well-known/mercure/subscriptions/" + enc(b).replace("+", "%20")
        + "/" + enc(subscriber));

      var all = c.get("/.well-known/mercure/subscriptions").bearerTokenAuthentication(watcherToken).send().await();
      assertThat(all.statusCode()).as(all.bodyAsString()).isEqualTo(200);
      assertThat(all.getHeader("Content-Type")).isEqualTo("application/ld+json");
      assertThat(all.bodyAsJsonObject().getString("type")).isEqualTo("Subscriptions");
      assertThat(all.bodyAsJsonObject().getJsonArray("subscriptions").stream()
        .map(o -> ((io.vertx.core.json.JsonObject) o).getString("subscriber"))).contains(subscriber);
      var one = c.get("/.well-known/mercure/subscriptions/" + enc(b) + "/" + enc(subscriber))
        .bearerTokenAuthentication(watcherToken).send().await();
      assertThat(one.statusCode()).as(one.bodyAsString()).isEqualTo(200);
      assertThat(one.bodyAsJsonObject().getString("topic")).isEqualTo(b);
      assertProblem(c.get("/.well-known/mercure/subscriptions").send().await(), 401);
      assertProblem(c.get("/.well-known/mercure/subscriptions").bearerTokenAuthentication(tokens.subscriber(b))
        .send().await(), 403);

      alice.close();
      alice = null;
      awaitContains(watcher::raw, "\"active\":false");
      Awaitility.await().atMost(WAIT).until(() -> c.get("/.well-known/mercure/subscriptions/" + enc(b) + "/"
        + enc(subscriber)).bearerTokenAuthentication(watcherToken).send().await().statusCode() == 404);
    } finally {
      watcher.close();
      if (alice != null) {
        alice.close();
      }
      c.close();
      vertx.undeploy(other.deploymentID()).await();
    }
  }

  @Test
  void discoveryLinkOnTheGatewaysOtherResponsesWhenSwitchedOn() {
    GatewayVerticle other = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setMercure(new MercureOptions().setDiscovery(true).setTopic("mercure-discovery")));
    vertx.deployVerticle(other).await();
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(other.actualPort()));
    try {
      assertThat(c.get("/health/live").send().await().getHeader("Link"))
        .isEqualTo("</.well-known/mercure>; rel=\"mercure\"");
      assertThat(c.get("/topics/nope").send().await().getHeader("Link")).contains("rel=\"mercure\"");
      assertThat(client.get("/health/live").send().await().getHeader("Link")).isNull();
    } finally {
      c.close();
      vertx.undeploy(other.deploymentID()).await();
    }
  }
}
