package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.GatewayOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code GET /events?topic=<pattern>}: patterns over SSE, topics created later, resume, and grants on patterns. */
class PatternHttpTest extends GatewayTestBase {

  static final Duration WAIT = Duration.ofSeconds(30);
  static GatewayVerticle secured;
  static Tokens tokens;

  @BeforeAll
  static void startSecured() {
    AuthOptions auth = new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER)
      .setAudience(Tokens.AUDIENCE);
    secured = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth));
    vertx.deployVerticle(secured).await();
    tokens = new Tokens(vertx);
  }

  private static List<String> data(SseClient sse) {
    return sse.of("message").stream().map(e -> {
      JsonObject m = new JsonObject(e.data());
      return m.getString("topic") + ":" + m.getLong("seq") + ":" + m.getString("data");
    }).toList();
  }

  @Test
  void aPatternStreamFollowsMatchingTopicsCreatedLaterAndResumesEachOne(TestInfo info) {
    String root = unique(info);
    post("/topics/" + root + ".eu/messages", "e1");
    SseClient sse = SseClient.open(vertx, port, "/events?topic=" + root + ".*&from=earliest", null);
    String id;
    try {
      await().atMost(WAIT).until(() -> (root + ".eu:1").equals(sse.lastId()));
      post("/topics/" + root + ".us/messages", "u1"); // a topic created after the stream opened
      post("/topics/" + root + ".eu.paris/messages", "p1"); // two segments: not matched
      post("/topics/" + root + ".eu/messages", "e2");
      await().atMost(WAIT).untilAsserted(() -> assertThat(data(sse)).as(sse.raw())
        .containsExactlyInAnyOrder(root + ".eu:1:e1", root + ".us:1:u1", root + ".eu:2:e2"));
      await().atMost(WAIT).until(() -> (root + ".eu:2," + root + ".us:1").equals(sse.lastId()));
      id = sse.lastId();
    } finally {
      sse.close();
    }
    post("/topics/" + root + ".us/messages", "u2");
    post("/topics/" + root + ".de/messages", "d1"); // appeared while the client was away
    SseClient again = SseClient.open(vertx, port, "/events?topic=" + root + ".*", id);
    try {
      await().atMost(WAIT).untilAsserted(() -> assertThat(data(again)).as(again.raw())
        .containsExactlyInAnyOrder(root + ".us:2:u2", root + ".de:1:d1"));
      await().atMost(WAIT).until(() -> (root + ".de:1," + root + ".eu:2," + root + ".us:2").equals(again.lastId()));
    } finally {
      again.close();
    }
  }

  @Test
  void gtAndNamesInOneStreamDeliverEachMessageOnce(TestInfo info) {
    String root = unique(info);
    SseClient sse = SseClient.open(vertx, port, "/events?topic=" + root + ".>&topic=" + root + ".a.b", null);
    try {
      await().atMost(WAIT).until(() -> (root + ".a.b:0").equals(sse.lastId()));
      for (int i = 1; i <= 5; i++) {
        post("/topics/" + root + ".a.b/messages", "ab" + i);
        post("/topics/" + root + ".c/messages", "c" + i);
      }
      await().atMost(WAIT).untilAsserted(() -> assertThat(data(sse)).as(sse.raw()).hasSize(10));
      assertThat(data(sse).stream().filter(s -> s.startsWith(root + ".a.b:")).toList()).containsExactly(
        root + ".a.b:1:ab1", root + ".a.b:2:ab2", root + ".a.b:3:ab3", root + ".a.b:4:ab4", root + ".a.b:5:ab5");
    } finally {
      sse.close();
    }
  }

  @Test
  void badPatternsAre400Problems() {
    var r = get("/events?topic=orders.e*");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("pattern");
    assertThat(get("/events?topic=orders.>.eu").statusCode()).isEqualTo(400);
  }

  private static int status(String uri, JsonObject grants) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri)
      .addHeader("Accept", "text/event-stream").addHeader("Authorization", "Bearer " + tokens.grant(grants));
    // A client per call: an SSE answer is never complete, so its connection is closed rather than reused.
    HttpClient one = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(secured.actualPort()));
    try {
      // The body is asked for on the event loop as the response arrives, before any of it can be missed.
      HttpClientResponse r = one.request(options).compose(req -> req.send()).compose(resp -> resp.statusCode() == 200
        ? Future.succeededFuture(resp) : resp.body().map(body -> {
          assertThat(resp.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(body.toString()).contains("does not grant").doesNotContain("Exception");
          return resp;
        })).await();
      int status = r.statusCode();
      return status;
    } finally {
      one.close().await();
    }
  }

  @Test
  void grantsMustCoverEveryTopicAPatternCanMatch() {
    JsonObject orders = new JsonObject().put("subscribe", new JsonArray().add("g.orders.*"));
    assertThat(status("/events?topic=g.orders.*", orders)).isEqualTo(200);
    assertThat(status("/events?topic=g.orders.eu", orders)).isEqualTo(200);
    assertThat(status("/events?topic=g.orders.>", orders)).isEqualTo(200); // the grant's * spans segments
    assertThat(status("/events?topic=g.*", orders)).isEqualTo(403);
    assertThat(status("/events?topic=g.>", orders)).isEqualTo(403);
    assertThat(status("/events?topic=g.orders.*&topic=g.prices.*", orders)).isEqualTo(403);
    JsonObject eu = new JsonObject().put("subscribe", new JsonArray().add("g.orders.eu"));
    assertThat(status("/events?topic=g.orders.*", eu)).isEqualTo(403);
    assertThat(status("/events?topic=g.orders.eu", eu)).isEqualTo(200);
  }
}
