package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.GatewayOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A gateway's graceful stop: {@link GatewayVerticle#drain()} turns readiness to 503 while every route still serves;
 * {@link GatewayVerticle#shutdown(Duration)} ends an open SSE stream with a last comment and stops listening.
 */
class GatewayDrainTest extends GatewayTestBase {

  @Test
  void drainAnswersNotReadyThenShutdownEndsStreamsWithAComment() {
    GatewayVerticle own = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setHeartbeatInterval(Duration.ofSeconds(30)));
    vertx.deployVerticle(own).await();
    int p = own.actualPort();
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
    try {
      Awaitility.await("ready").atMost(Duration.ofSeconds(30))
        .until(() -> c.get("/health/ready").send().await().statusCode() == 200);
      SseClient sse = SseClient.open(vertx, p, "/topics/drain.t/events", null);
      assertThat(sse.response.statusCode()).isEqualTo(200);

      own.drain();
      HttpResponse<Buffer> ready = c.get("/health/ready").send().await();
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getString("detail")).isEqualTo("the gateway is stopping");
      assertThat(c.get("/openapi.json").send().await().statusCode()).as("other routes still serve").isEqualTo(200);
      assertThat(sse.closed).as("the stream stays open while draining").isFalse();

      own.shutdown(Duration.ofSeconds(10)).await();
      Awaitility.await("the stream ended").atMost(Duration.ofSeconds(30)).until(() -> sse.closed);
      assertThat(sse.raw.toString()).as("what the stream carried").endsWith(": closed: " + SseStream.STOPPING
        + "\n\n");
      assertThatThrownBy(() -> c.get("/health/live").send().await()).as("no longer listening")
        .hasMessageContaining("onnection refused");
    } finally {
      c.close();
      vertx.undeploy(own.deploymentID()).await();
    }
  }

  @Test
  void shutdownEndsEveryStreamOfAnHttp2Connection() {
    GatewayVerticle own = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setHeartbeatInterval(Duration.ofSeconds(30)).setHttp2(new dev.ferrymq.Http2Options().setCleartext(true)));
    vertx.deployVerticle(own).await();
    int p = own.actualPort();
    io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
      .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      java.util.List<SseClient> streams = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        streams.add(SseClient.open(h2, p, "/topics/drain.h2." + i + "/events", null));
      }
      assertThat(streams).allMatch(s -> s.response.version() == io.vertx.core.http.HttpVersion.HTTP_2);
      own.shutdown(Duration.ofSeconds(20)).await();
      // One connection, one shutdown handler: every stream on it gets the last comment, not just the last opened.
      Awaitility.await("every stream ended").atMost(Duration.ofSeconds(30))
        .until(() -> streams.stream().allMatch(s -> s.closed));
      for (SseClient s : streams) {
        assertThat(s.raw.toString()).as("what a stream carried").endsWith(": closed: " + SseStream.STOPPING + "\n\n");
      }
    } finally {
      h2.close();
      vertx.undeploy(own.deploymentID()).await();
    }
  }
}
