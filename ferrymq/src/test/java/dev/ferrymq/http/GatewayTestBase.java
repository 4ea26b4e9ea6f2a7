package dev.ferrymq.http;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A broker plus a gateway on a free port of 127.0.0.1, and a real HTTP client, for a whole test class. */
public abstract class GatewayTestBase extends BrokerTestBase {

  protected static GatewayVerticle gateway;
  protected static int port;
  protected static WebClient client;

  /** Options of the gateway under test; tests may lower limits. */
  protected static GatewayOptions gatewayOptions() {
    return new GatewayOptions().setPort(0).setHeartbeatInterval(Duration.ofMillis(500));
  }

  @BeforeAll
  static void startGateway() {
    startGateway(gatewayOptions());
  }

  protected static void startGateway(GatewayOptions options) {
    gateway = new GatewayVerticle(broker, options);
    vertx.deployVerticle(gateway).await();
    port = gateway.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stopGateway() {
    if (client != null) {
      client.close();
    }
  }

  protected static HttpResponse<Buffer> call(HttpMethod method, String uri) {
    return client.request(method, uri).send().await();
  }

  protected static HttpResponse<Buffer> post(String uri, String body) {
    return client.post(uri).sendBuffer(Buffer.buffer(body)).await();
  }

  protected static HttpResponse<Buffer> get(String uri) {
    return call(HttpMethod.GET, uri);
  }

  /** @return the names {@code GET /queues} or {@code GET /topics} ({@code kind}) lists, reading every page */
  protected static java.util.List<String> listed(String kind) {
    java.util.List<String> names = new java.util.ArrayList<>();
    String after = null;
    do {
      JsonObject page = get("/" + kind + "?limit=7" + (after == null ? "" : "&after=" + after)).bodyAsJsonObject();
      page.getJsonArray(kind).forEach(o -> names.add(((JsonObject) o).getString(kind.substring(0, kind.length() - 1))));
      after = page.getString("next");
    } while (after != null);
    return names;
  }

  /** @return {@code GET /queues/{q}}: the queue's stats */
  protected static JsonObject stats(String q) {
    return get("/queues/" + q).bodyAsJsonObject();
  }
}
