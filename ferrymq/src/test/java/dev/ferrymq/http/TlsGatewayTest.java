package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** HTTPS with a certificate made by the test: publish and an SSE subscription work; plain HTTP gets nothing. */
class TlsGatewayTest extends BrokerTestBase {

  @Test
  void httpsPublishAndSubscribeWithASelfSignedCertificate() {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setTls(cert.privateKeyPath(), cert.certificatePath()));
    String deployment = vertx.deployVerticle(gateway).await();
    int port = gateway.actualPort();
    HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(cert.certificatePath()))
      .setDefaultHost("localhost").setDefaultPort(port));
    StringBuilder stream = new StringBuilder();
    HttpClientResponse sse = https.request(new RequestOptions().setURI("/topics/tls.t/events?from=earliest")
      .setHost("localhost")).compose(req -> req.send().map(resp -> {
        resp.handler(b -> {
          synchronized (stream) {
            stream.append(b.toString(StandardCharsets.UTF_8));
          }
        });
        resp.exceptionHandler(e -> { });
        return resp;
      })).await();
    assertThat(sse.statusCode()).isEqualTo(200);
    HttpClientResponse published = https.request(HttpMethod.POST, "/topics/tls.t/messages")
      .compose(req -> req.send(Buffer.buffer("over tls")).compose(resp -> resp.body().map(resp))).await();
    assertThat(published.statusCode()).isEqualTo(201);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      synchronized (stream) {
        return stream.toString().contains("data: over tls");
      }
    });

    HttpClient plain = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(port).setIdleTimeout(20));
    Throwable failure = plain.request(HttpMethod.GET, "/health/live").compose(req -> req.send())
      .map(r -> (Throwable) null).otherwise(e -> e).await();
    assertThat(failure).as("plain HTTP to the TLS port gets no answer").isNotNull();
    sse.request().connection().close().await();
    https.close().await();
    plain.close().await();
    vertx.undeploy(deployment).await();
  }
}
