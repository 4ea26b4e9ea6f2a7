package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;

/** The gateway's routes mounted under a prefix on a host app's own router and server. */
class MountTest extends BrokerTestBase {

  @Test
  void routesWorkUnderTheHostAppsRouter() {
    Router app = Router.router(vertx);
    app.get("/hello").handler(ctx -> ctx.end("host app"));
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, new GatewayOptions()));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.actualPort()));
    try {
      HttpResponse<Buffer> published = client.post("/mq/topics/mounted/messages").sendBuffer(Buffer.buffer("x")).await();
      assertThat(published.statusCode()).isEqualTo(201);
      assertThat(client.get("/mq/topics/mounted/messages").send().await().bodyAsJsonArray()).hasSize(1);
      HttpResponse<Buffer> bad = client.get("/mq/queues/bad%20name").send().await();
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(client.get("/hello").send().await().bodyAsString()).isEqualTo("host app");
    } finally {
      client.close();
      server.close().await();
    }
  }

  @Test
  void theMercureHubsLogStaysClosedToFerryMqRoutesUnderAPrefix() {
    Router app = Router.router(vertx);
    GatewayOptions options = new GatewayOptions().setMercure(new dev.ferrymq.MercureOptions().setTopic("mounted-hub"));
    app.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, options));
    HttpServer server = vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.actualPort()));
    try {
      assertThat(client.post("/mq/topics/mounted-hub/messages").sendBuffer(Buffer.buffer("forged")).await()
        .statusCode()).isEqualTo(403);
      assertThat(client.get("/mq/topics/mounted-hub/messages").send().await().statusCode()).isEqualTo(403);
      assertThat(client.get("/mq/events?topic=mounted-hub").send().await().statusCode()).isEqualTo(403);
      assertThat(client.post("/mq/topics/mounted-other/messages").sendBuffer(Buffer.buffer("x")).await()
        .statusCode()).isEqualTo(201);
    } finally {
      client.close();
      server.close().await();
    }
  }
}
