package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the router × every kind of token → the expected status. The routes come from the router itself, so a
 * new route without a sample here fails the test instead of escaping it.
 */
class AuthMatrixTest extends BrokerTestBase {

  /**
   * What a route needs; the correct token for a sample grants exactly that. {@code prepare} runs before the call with
   * the correct token (it creates what that call uses up); what it returns replaces {@code LEASE} in the sample.
   */
  record Sample(String uri, String body, JsonObject correct, Supplier<String> prepare) {
  }

  static GatewayVerticle gateway;
  static HttpClient http;
  static Tokens tokens;
  static MessageConsumer<Buffer> echo;

  @BeforeAll
  static void start() {
    AuthOptions auth = new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER)
      .setAudience(Tokens.AUDIENCE);
    gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth));
    vertx.deployVerticle(gateway).await();
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(gateway.actualPort()));
    tokens = new Tokens(vertx);
    echo = vertx.eventBus().consumer("m.svc", m -> m.reply(m.body()));
    // The destinations the samples read exist: reads never create them (a 404 would hide what is tested here).
    broker.queue("m.q").configure(new QueueOptions()).await();
    broker.topic("m.t").configure(new TopicOptions()).await();
  }

  @AfterAll
  static void stop() {
    echo.unregister().await();
    http.close().await();
  }

  static Map<String, Sample> samples() {
    Map<String, Sample> s = new LinkedHashMap<>();
    JsonObject admin = new JsonObject().put("admin", true);
    JsonObject sub = grant("subscribe", "m.t");
    JsonObject consume = grant("consume", "m.q");
    Supplier<String> lease = AuthMatrixTest::lease;
    s.put("GET /topics", new Sample("/topics", null, admin, null));
    s.put("GET /topics/:topic", new Sample("/topics/m.t", null, sub, null));
    s.put("PUT /topics/:topic", new Sample("/topics/m.t", "{}", admin, null));
    s.put("DELETE /topics/:topic", new Sample("/topics/m.tdel", null, admin, () -> {
      broker.topic("m.tdel").configure(new TopicOptions()).await();
      return "";
    }));
    s.put("POST /topics/:topic/messages", new Sample("/topics/m.t/messages", "hi", grant("publish", "m.t"), null));
    s.put("POST /topics/:topic/messages/batch", new Sample("/topics/m.t/messages/batch", "[{\"data\":\"hi\"}]",
      grant("publish", "m.t"), null));
    s.put("GET /topics/:topic/messages", new Sample("/topics/m.t/messages", null, sub, null));
    s.put("GET /topics/:topic/events", new Sample("/topics/m.t/events", null, sub, null));
    s.put("GET /events", new Sample("/events?topic=m.t&topic=m.u", null,
      new JsonObject().put("subscribe", new JsonArray().add("m.t").add("m.u")), null));
    s.put("GET /queues", new Sample("/queues", null, admin, null));
    s.put("GET /queues/:queue", new Sample("/queues/m.q", null, consume, null));
    s.put("PUT /queues/:queue", new Sample("/queues/m.q", "{}", admin, null));
    s.put("DELETE /queues/:queue", new Sample("/queues/m.del", null, admin, () -> {
      broker.queue("m.del").configure(new QueueOptions()).await();
      return "";
    }));
    s.put("POST /queues/:queue/messages", new Sample("/queues/m.q/messages", "hi", grant("publish", "m.q"), null));
    s.put("POST /queues/:queue/messages/batch", new Sample("/queues/m.q/messages/batch", "[{\"data\":\"hi\"}]",
      grant("publish", "m.q"), null));
    s.put("POST /queues/:queue/purge", new Sample("/queues/m.q/purge", null, admin, null));
    s.put("GET /queues/:queue/dead-letters", new Sample("/queues/m.q/dead-letters", null, admin, null));
    s.put("POST /queues/:queue/dead-letters/redrive", new Sample("/queues/m.q/dead-letters/redrive", null, admin,
      null));
    s.put("GET /queues/:queue/deliveries", new Sample("/queues/m.q/deliveries", null, consume, null));
    s.put("POST /queues/:queue/leases", new Sample("/queues/m.q/leases", null, consume, null));
    s.put("POST /queues/:queue/acks", new Sample("/queues/m.q/acks", "[\"LEASE\"]", consume, lease));
    for (String action : List.of("ack", "nack", "extend", "reject")) {
      s.put("POST /queues/:queue/leases/:lease/" + action, new Sample("/queues/m.q/leases/LEASE/" + action, null,
        consume, lease));
    }
    s.put("POST /requests/:address", new Sample("/requests/m.svc", "ping", grant("request", "m.svc"), null));
    s.put("GET /health/live", new Sample("/health/live", null, null, null));
    s.put("GET /health/ready", new Sample("/health/ready", null, null, null));
    s.put("GET /cluster", new Sample("/cluster", null, admin, null));
    s.put("GET /metrics", new Sample("/metrics", null, admin, null));
    s.put("GET /openapi.json", new Sample("/openapi.json", null, null, null));
    s.put("GET /stats/events", new Sample("/stats/events", null, admin, null));
    s.put("GET /", new Sample("/", null, null, null));
    s.put("GET /dashboard/:file", new Sample("/dashboard/app.js", null, null, null));
    return s;
  }

  static JsonObject grant(String action, String name) {
    return new JsonObject().put(action, new JsonArray().add(name));
  }

  static String lease() {
    broker.queue("m.q").send(Buffer.buffer("for a lease")).await();
    return broker.queue("m.q").receive(1, Duration.ofSeconds(5), Duration.ofMinutes(5)).await().get(0).leaseId();
  }

  @Test
  void everyRouteTimesEveryTokenGivesTheExpectedStatus() {
    Router router = GatewayVerticle.router(vertx, broker, new GatewayOptions());
    TreeSet<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null) {
        route.methods().forEach(m -> served.add(m.name() + " " + route.getPath()));
      }
    }
    Map<String, Sample> samples = samples();
    assertThat(samples.keySet()).as("a sample for every route the router serves")
      .containsExactlyInAnyOrderElementsOf(served);

    JsonObject elsewhere = new JsonObject().put("admin", false);
    for (String action : List.of("publish", "subscribe", "consume", "request")) {
      elsewhere.put(action, new JsonArray().add("other.*").add("m.other"));
    }
    List<String> failures = new ArrayList<>();
    int cells = 0;
    for (Map.Entry<String, Sample> e : samples.entrySet()) {
      HttpMethod method = HttpMethod.valueOf(e.getKey().substring(0, e.getKey().indexOf(' ')));
      Sample sample = e.getValue();
      boolean open = sample.correct() == null;
      JsonObject correct = open ? new JsonObject() : sample.correct();
      Map<String, String> cases = new LinkedHashMap<>();
      cases.put("no token", null);
      cases.put("expired", tokens.sign(Tokens.claims(correct, Tokens.AUDIENCE, -3600)));
      cases.put("wrong signature", new Tokens(vertx, Tokens.SECRET + "-not").grant(correct));
      cases.put("alg=none", Tokens.unsigned(Tokens.claims(correct, Tokens.AUDIENCE, 3600)));
      cases.put("wrong audience", tokens.sign(Tokens.claims(correct, "someone-else", 3600)));
      cases.put("other destination", tokens.grant(elsewhere));
      cases.put("correct", tokens.grant(correct));
      for (Map.Entry<String, String> c : cases.entrySet()) {
        String uri = sample.uri();
        String body = sample.body();
        if (sample.prepare() != null) {
          String leaseId = c.getKey().equals("correct") ? sample.prepare().get() : "l-unknown";
          uri = uri.replace("LEASE", leaseId);
          body = body == null ? null : body.replace("LEASE", leaseId);
        }
        Answer answer = send(method, uri, c.getValue(), body);
        String expected = open || c.getKey().equals("correct") ? "2xx"
          : c.getKey().equals("other destination") ? "403" : "401";
        boolean ok = switch (expected) {
          case "2xx" -> answer.status / 100 == 2;
          case "403" -> answer.status == 403 && "application/problem+json".equals(answer.contentType);
          default -> answer.status == 401 && answer.authenticate != null && answer.authenticate.startsWith("Bearer")
            && (c.getKey().equals("no token") != answer.authenticate.contains("error=\"invalid_token\""));
        };
        cells++;
        if (!ok) {
          failures.add(e.getKey() + " × " + c.getKey() + ": expected " + expected + ", got " + answer);
        }
      }
    }
    assertThat(failures).as("cells not as expected").isEmpty();
    assertThat(cells).isEqualTo(samples.size() * 7);
  }

  @Test
  void multiTopicStreamNeedsAGrantForEveryTopic() {
    String token = tokens.grant(grant("subscribe", "m.t"));
    assertThat(send(HttpMethod.GET, "/events?topic=m.t&topic=m.u", token, null).status).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/events?topic=m.t", token, null).status).isEqualTo(200);
  }

  @Test
  void tokensInTheQueryStringAndMalformedHeadersAreNotAccepted() {
    String token = tokens.grant(grant("subscribe", "m.t"));
    assertThat(send(HttpMethod.GET, "/topics/m.t/messages?access_token=" + token, null, null).status)
      .isEqualTo(401);
    assertThat(sendRaw(HttpMethod.GET, "/topics/m.t/messages", "Basic " + token, null).status).isEqualTo(401);
    assertThat(sendRaw(HttpMethod.GET, "/topics/m.t/messages", "Bearer " + token + "x", null).status)
      .isEqualTo(401);
  }

  @Test
  void tokensWithoutExpOrWithMalformedGrantsAreRefused() {
    JsonObject noExp = Tokens.claims(grant("subscribe", "m.t"), Tokens.AUDIENCE, 0);
    noExp.remove("exp");
    assertThat(send(HttpMethod.GET, "/topics/m.t/messages", tokens.sign(noExp), null).status).isEqualTo(401);
    JsonObject badGrants = Tokens.claims(new JsonObject(), Tokens.AUDIENCE, 3600).put("ferrymq", "everything");
    assertThat(send(HttpMethod.GET, "/topics/m.t/messages", tokens.sign(badGrants), null).status).isEqualTo(401);
    JsonObject wrongIssuer = Tokens.claims(grant("subscribe", "m.t"), Tokens.AUDIENCE, 3600).put("iss", "mallory");
    assertThat(send(HttpMethod.GET, "/topics/m.t/messages", tokens.sign(wrongIssuer), null).status).isEqualTo(401);
  }

  /** One answer: status, content type, {@code WWW-Authenticate}. */
  record Answer(int status, String contentType, String authenticate) {
  }

  static Answer send(HttpMethod method, String uri, String token, String body) {
    return sendRaw(method, uri, token == null ? null : "Bearer " + token, body);
  }

  static Answer sendRaw(HttpMethod method, String uri, String authorization, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
    if (authorization != null) {
      options.addHeader("Authorization", authorization);
    }
    return http.request(options).compose(req -> (body == null ? req.send() : req.send(body)).compose(resp -> {
      Answer a = new Answer(resp.statusCode(), resp.getHeader("Content-Type"), resp.getHeader("WWW-Authenticate"));
      if (String.valueOf(a.contentType()).startsWith("text/event-stream")) {
        resp.exceptionHandler(e -> { });
        return req.connection().close().map(a);
      }
      return resp.body().map(b -> a);
    })).await();
  }
}
