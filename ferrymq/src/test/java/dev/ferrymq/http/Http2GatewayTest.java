package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Http2Options;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * HTTP/2: publishes and SSE over h2c (prior knowledge and upgrade) and over TLS by ALPN; and hostile HTTP/2 clients
 * (silent, trickling a header block, never sending a body, opening too many streams) are cut off.
 */
class Http2GatewayTest extends BrokerTestBase {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final int MAX_STREAMS = 4;
  static GatewayVerticle gateway;
  static int port;
  static NetClient net;

  @BeforeAll
  static void start() {
    gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setRequestHeaderTimeout(Duration.ofSeconds(1)).setRequestBodyTimeout(Duration.ofSeconds(1))
      .setHeartbeatInterval(Duration.ofMillis(300))
      .setHttp2(new Http2Options().setCleartext(true).setMaxConcurrentStreams(MAX_STREAMS)));
    vertx.deployVerticle(gateway).await();
    port = gateway.actualPort();
    net = vertx.createNetClient();
  }

  @AfterAll
  static void stop() {
    if (net != null) {
      net.close().await();
    }
  }

  /** An SSE response read as it comes. */
  static final class Stream {
    final StringBuilder text = new StringBuilder();
    HttpClientResponse response;

    synchronized boolean contains(String s) {
      return text.indexOf(s) >= 0;
    }
  }

  static Stream sse(HttpClient client, String uri) {
    Stream s = new Stream();
    s.response = client.request(new RequestOptions().setURI(uri).addHeader("Accept", "text/event-stream"))
      .compose(req -> req.send().map(resp -> {
        resp.handler(b -> {
          synchronized (s) {
            s.text.append(b.toString(StandardCharsets.UTF_8));
          }
        });
        resp.exceptionHandler(e -> { });
        return resp;
      })).await();
    return s;
  }

  /** Publishes {@code n} messages at once: over HTTP/2 they are streams in flight on one connection. */
  static void publishAll(HttpClient client, String topic, int n) {
    List<Future<HttpClientResponse>> posts = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Buffer body = Buffer.buffer("m" + i);
      posts.add(client.request(HttpMethod.POST, "/topics/" + topic + "/messages")
        .compose(req -> req.send(body).compose(resp -> resp.body().map(resp))));
    }
    Future.all(posts).await();
    for (Future<HttpClientResponse> p : posts) {
      assertThat(p.result().statusCode()).isEqualTo(201);
      assertThat(p.result().version()).isEqualTo(HttpVersion.HTTP_2);
    }
  }

  void publishAndStream(HttpClient client, String topic) {
    Stream stream = sse(client, "/events?topic=" + topic.substring(0, topic.lastIndexOf('.')) + ".*&from=earliest");
    try {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.version()).isEqualTo(HttpVersion.HTTP_2);
      publishAll(client, topic, 20);
      await().atMost(WAIT).until(() -> stream.contains("\"seq\":20"));
      assertThat(stream.contains("\"data\":\"m1\"")).isTrue();
    } finally {
      stream.response.request().reset();
    }
  }

  @Test
  void publishAndSubscribeOverH2cWithPriorKnowledge(TestInfo info) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      publishAndStream(client, unique(info) + ".prior");
    } finally {
      client.close().await();
    }
  }

  @Test
  void publishAndSubscribeOverH2cByUpgrade(TestInfo info) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(true).setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      // The upgrade happens on the first request; after it, the connection speaks HTTP/2.
      assertThat(client.request(HttpMethod.GET, "/health/live").compose(req -> req.send()).await().version())
        .isEqualTo(HttpVersion.HTTP_2);
      publishAndStream(client, unique(info) + ".upgrade");
    } finally {
      client.close().await();
    }
  }

  @Test
  void h2OverTlsByAlpnAndHttp11StillServed(TestInfo info) {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    GatewayVerticle tls = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setTls(cert.privateKeyPath(), cert.certificatePath()));
    String deployment = vertx.deployVerticle(tls).await();
    HttpClientOptions base = new HttpClientOptions().setSsl(true).setVerifyHost(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(cert.certificatePath()))
      .setDefaultHost("localhost").setDefaultPort(tls.actualPort());
    HttpClient h2 = vertx.createHttpClient(new HttpClientOptions(base).setUseAlpn(true)
      .setProtocolVersion(HttpVersion.HTTP_2));
    HttpClient h1 = vertx.createHttpClient(new HttpClientOptions(base));
    try {
      publishAndStream(h2, unique(info) + ".alpn");
      HttpClientResponse old = h1.request(HttpMethod.GET, "/health/live").compose(req -> req.send()).await();
      assertThat(old.version()).isEqualTo(HttpVersion.HTTP_1_1);
      assertThat(old.statusCode()).isEqualTo(200);
    } finally {
      h2.close().await();
      h1.close().await();
      vertx.undeploy(deployment).await();
    }
  }

  /** A raw HTTP/2 connection: what the server sends, split into frames, and whether it closed the connection. */
  static final class Raw {
    final H2Frames.Reader reader = new H2Frames.Reader();
    final AtomicBoolean closed = new AtomicBoolean();
    final long openedAt = System.nanoTime();
    NetSocket socket;

    static Raw open() {
      Raw raw = new Raw();
      raw.socket = net.connect(port, "127.0.0.1").await();
      raw.socket.handler(raw.reader::feed);
      raw.socket.closeHandler(v -> raw.closed.set(true));
      raw.socket.write(H2Frames.preface());
      return raw;
    }

    void send(int type, int flags, int stream, Buffer payload) {
      if (!closed.get()) {
        socket.write(H2Frames.frame(type, flags, stream, payload));
      }
    }

    long secondsOpen() {
      return Duration.ofNanos(System.nanoTime() - openedAt).toSeconds();
    }

    String seen() {
      return reader.frames.stream().map(f -> "type " + f.type() + " stream " + f.stream() + " code " + f.errorCode())
        .toList().toString();
    }
  }

  @Test
  void aConnectionThatSendsNoRequestIsClosed() {
    int before = gateway.connections().closedSlow();
    Raw raw = Raw.open();
    await().atMost(WAIT).until(raw.closed::get);
    assertThat(gateway.connections().closedSlow()).isGreaterThan(before);
    assertThat(raw.reader.of(H2Frames.SETTINGS)).as("the server spoke HTTP/2 first").isNotEmpty();
  }

  @Test
  void aHeaderBlockTrickledInContinuationFramesIsCutOff() {
    int before = gateway.connections().closedSlow();
    Raw raw = Raw.open();
    Buffer block = H2Frames.headerBlock("GET", "/topics/trickle/events");
    raw.send(H2Frames.HEADERS, H2Frames.END_STREAM, 1, block.getBuffer(0, 3)); // no END_HEADERS: more is to come
    long drip = vertx.setPeriodic(200, id -> raw.send(H2Frames.CONTINUATION, 0, 1, Buffer.buffer(new byte[] {0})));
    try {
      await().atMost(WAIT).until(raw.closed::get);
      assertThat(gateway.connections().closedSlow()).as(raw.seen()).isGreaterThan(before);
      assertThat(raw.secondsOpen()).isLessThan(20);
    } finally {
      vertx.cancelTimer(drip);
    }
  }

  @Test
  void aStreamThatNeverSendsItsBodyIsResetAndItsConnectionClosed() {
    int cut = gateway.connections().cutSlowBodies();
    Raw raw = Raw.open();
    // A complete head announcing a body that never comes; PINGs would keep an idle timeout from firing.
    raw.send(H2Frames.HEADERS, H2Frames.END_HEADERS, 1, H2Frames.headerBlock("POST", "/topics/nobody/messages",
      "content-length", "10", "content-type", "text/plain"));
    long ping = vertx.setPeriodic(200, id -> raw.send(6, 0, 0, Buffer.buffer(new byte[8])));
    try {
      await().atMost(WAIT).untilAsserted(() -> assertThat(raw.reader.of(H2Frames.RST_STREAM))
        .as(raw.seen()).anyMatch(f -> f.stream() == 1));
      assertThat(gateway.connections().cutSlowBodies()).isGreaterThan(cut);
      await().atMost(WAIT).until(raw.closed::get); // then nothing more came: the head timeout ends the connection
    } finally {
      vertx.cancelTimer(ping);
    }
  }

  /** Trickles an HTTP/1.1 request head on {@code socket} until it is closed; fails if it is not within the bound. */
  static void trickleUntilClosed(NetSocket socket) {
    AtomicBoolean closed = new AtomicBoolean();
    socket.closeHandler(v -> closed.set(true));
    socket.write("GET /topics/slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    long drip = vertx.setPeriodic(200, id -> socket.write("X-Slow: 1\r\n"));
    try {
      await().atMost(WAIT).until(closed::get);
    } finally {
      vertx.cancelTimer(drip);
      socket.close();
    }
  }

  @Test
  void anHttp11HeadTrickledOverTlsWithAlpnIsCutOff() {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    GatewayVerticle tls = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setRequestHeaderTimeout(Duration.ofSeconds(1)).setTls(cert.privateKeyPath(), cert.certificatePath()));
    String deployment = vertx.deployVerticle(tls).await();
    NetClient tlsNet = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setSsl(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(cert.certificatePath())).setHostnameVerificationAlgorithm(""));
    try {
      trickleUntilClosed(tlsNet.connect(tls.actualPort(), "localhost").await());
      assertThat(tls.connections().closedSlow()).isEqualTo(1);
    } finally {
      tlsNet.close().await();
      vertx.undeploy(deployment).await();
    }
  }

  /**
   * The known limit of h2c: with it on, Vert.x hands an HTTP/1.1 connection to the gateway only once its first request
   * head is complete (it must see whether it asks for an upgrade), so a head trickled forever is never timed out.
   * Documented in SECURITY.md; h2 over TLS (above) keeps the guard.
   */
  @Test
  @org.junit.jupiter.api.Disabled("known limit of h2c on Vert.x 5.0.7: see SECURITY.md, HTTP/2")
  void anHttp11HeadTrickledToTheH2cGatewayIsCutOff() {
    trickleUntilClosed(net.connect(port, "127.0.0.1").await());
  }

  @Test
  void streamsBeyondTheConnectionsLimitAreRefused() {
    Raw raw = Raw.open();
    int streams = MAX_STREAMS + 3;
    for (int i = 0; i < streams; i++) {
      raw.send(H2Frames.HEADERS, H2Frames.END_HEADERS | H2Frames.END_STREAM, 1 + 2 * i,
        H2Frames.headerBlock("GET", "/topics/greedy/events", "accept", "text/event-stream"));
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(raw.reader.of(H2Frames.RST_STREAM).stream()
      .filter(f -> f.errorCode() == H2Frames.REFUSED_STREAM)).as(raw.seen()).hasSize(streams - MAX_STREAMS));
    // The streams within the limit were served (each got its response headers).
    await().atMost(WAIT).untilAsserted(() -> assertThat(raw.reader.of(H2Frames.HEADERS).stream()
      .map(H2Frames.Frame::stream).distinct()).as(raw.seen()).hasSize(MAX_STREAMS));
    raw.socket.close();
  }
}
