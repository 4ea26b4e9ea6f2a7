package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Grants;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Anonymous grants, the token cookie, rate and stream limits, CORS. */
class GatewayLimitsTest extends BrokerTestBase {

  static AuthOptions auth() {
    return new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER).setAudience(Tokens.AUDIENCE)
      .setAnonymous(Grants.fromJson(new JsonObject().put("subscribe", new JsonArray().add("public.*"))));
  }

  static HttpClient start(GatewayOptions options) {
    GatewayVerticle gateway = new GatewayVerticle(broker, options.setPort(0));
    vertx.deployVerticle(gateway).await();
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(gateway.actualPort()));
  }

  /** Sends and returns the response, its body read; an SSE response's connection is closed unless {@code keep}. */
  static HttpClientResponse send(HttpClient http, HttpMethod method, String uri, Map<String, String> headers,
                                 boolean keep) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
    headers.forEach(options::addHeader);
    return http.request(options).compose(req -> req.send().compose(resp -> {
      if (String.valueOf(resp.getHeader("Content-Type")).startsWith("text/event-stream")) {
        resp.exceptionHandler(e -> { });
        return keep ? io.vertx.core.Future.succeededFuture(resp) : req.connection().close().map(resp);
      }
      return resp.body().map(b -> resp);
    })).await();
  }

  @Test
  void anonymousGrantsAndTheCookie(TestInfo info) {
    HttpClient http = start(new GatewayOptions().setAuth(auth()));
    Tokens tokens = new Tokens(vertx);
    String token = tokens.grant(new JsonObject().put("subscribe", new JsonArray().add("private.*"))
      .put("publish", new JsonArray().add("private.*")));
    assertThat(send(http, HttpMethod.GET, "/topics/public.news/events", Map.of(), false).statusCode()).isEqualTo(200);
    HttpClientResponse denied = send(http, HttpMethod.GET, "/topics/private.x/events", Map.of(), false);
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(denied.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"ferrymq\"");
    assertThat(send(http, HttpMethod.POST, "/topics/public.news/messages", Map.of(), false).statusCode())
      .as("anonymous may only subscribe").isEqualTo(401);
    // The cookie works for GET (what an EventSource sends) ...
    Map<String, String> cookie = Map.of("Cookie", "ferrymq_token=" + token);
    assertThat(send(http, HttpMethod.GET, "/topics/private.x/events", cookie, false).statusCode()).isEqualTo(200);
    // ... but carries no authority for a POST, which a cross-site form could send with it.
    assertThat(send(http, HttpMethod.POST, "/topics/private.x/messages", cookie, false).statusCode()).isEqualTo(401);
    assertThat(send(http, HttpMethod.POST, "/topics/private.x/messages", Map.of("Authorization", "Bearer " + token),
      false).statusCode()).isEqualTo(201);
    http.close().await();
  }

  @Test
  void requestsBeyondTheRateGet429WithRetryAfter() {
    HttpClient http = start(new GatewayOptions().setRateLimit(2).setRateBurst(5));
    broker.topic("rate.t").publish(Buffer.buffer("x")).await(); // reads never create: the topic must exist
    List<Integer> statuses = new ArrayList<>();
    String retryAfter = null;
    for (int i = 0; i < 10; i++) {
      HttpClientResponse r = send(http, HttpMethod.GET, "/topics/rate.t/messages", Map.of(), false);
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        retryAfter = r.getHeader("Retry-After");
      }
    }
    assertThat(statuses.subList(0, 5)).containsOnly(200);
    assertThat(statuses).contains(429);
    assertThat(retryAfter).isNotNull();
    assertThat(Integer.parseInt(retryAfter)).isBetween(1, 5);
    assertThat(send(http, HttpMethod.GET, "/health/live", Map.of(), false).statusCode())
      .as("health checks are not rate-limited").isEqualTo(200);
    http.close().await();
  }

  @Test
  void streamsPerClientAreLimitedAndGivenBack() {
    HttpClient http = start(new GatewayOptions().setMaxStreamsPerClient(2));
    HttpClientResponse one = send(http, HttpMethod.GET, "/topics/s.t/events", Map.of(), true);
    HttpClientResponse two = send(http, HttpMethod.GET, "/events?topic=s.t&topic=s.u", Map.of(), true);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(two.statusCode()).isEqualTo(200);
    HttpClientResponse three = send(http, HttpMethod.GET, "/queues/s.q/deliveries", Map.of(), false);
    assertThat(three.statusCode()).isEqualTo(429);
    assertThat(three.getHeader("Retry-After")).isNotNull();
    one.request().connection().close().await();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
      send(http, HttpMethod.GET, "/queues/s.q/deliveries", Map.of(), false).statusCode() == 200);
    two.request().connection().close().await();
    http.close().await();
  }

  @Test
  void corsAnswersOnlyTheListedOrigins() {
    HttpClient http = start(new GatewayOptions().setCorsOrigins(List.of("https://app.example")));
    broker.topic("c.t").publish(Buffer.buffer("x")).await();
    HttpClientResponse ok = send(http, HttpMethod.GET, "/topics/c.t/messages",
      Map.of("Origin", "https://app.example"), false);
    assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
    assertThat(ok.getHeader("Access-Control-Allow-Credentials")).isEqualTo("true");
    HttpClientResponse preflight = send(http, HttpMethod.OPTIONS, "/topics/c.t/messages",
      Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization,content-type"), false);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
    HttpClientResponse evil = send(http, HttpMethod.GET, "/topics/c.t/messages",
      Map.of("Origin", "https://evil.example"), false);
    assertThat(evil.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(evil.statusCode()).isEqualTo(403);
    HttpClientResponse none = send(http, HttpMethod.GET, "/topics/c.t/messages", Map.of(), false);
    assertThat(none.statusCode()).as("same-origin and non-browser clients send no Origin").isEqualTo(200);
    assertThatThrownBy(() -> new GatewayOptions().setCorsOrigins(List.of("*")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new GatewayOptions().setCorsOrigins(List.of("https://*.example")))
      .isInstanceOf(InvalidRequestException.class);
    http.close().await();
  }

  @Test
  void optionsRoundTripThroughJson() {
    GatewayOptions o = new GatewayOptions().setAuth(auth()).setRateLimit(7).setRateBurst(9).setMaxStreamsPerClient(3)
      .setCorsOrigins(List.of("https://a.example:8443")).setTls("k.pem", "c.pem").setInsecure(true)
      .setRequestHeaderTimeout(java.time.Duration.ofSeconds(3));
    GatewayOptions copy = new GatewayOptions(o.toJson());
    assertThat(copy.toJson()).isEqualTo(o.toJson());
    assertThat(copy.getAuth().getAnonymous().allows(Grants.Action.SUBSCRIBE, "public.x")).isTrue();
    assertThatThrownBy(() -> new AuthOptions().setSecret("short")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new AuthOptions().setAlgorithm("none")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new GatewayOptions().setTls("k.pem", null)).isInstanceOf(InvalidRequestException.class);
  }
}
