package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Http2Options;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP + Server-Sent Events gateway: the HTTP contract of FerryMQ on a {@link Broker}. Deploy it to listen on
 * {@link GatewayOptions#getHost()}:{@link GatewayOptions#getPort()}, or mount {@link #router} on the host app's own
 * router instead:
 *
 * <pre>{@code
 * vertx.deployVerticle(new GatewayVerticle(broker, new GatewayOptions().setPort(8080)));
 * // or, inside an existing app:
 * appRouter.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, new GatewayOptions()));
 * }</pre>
 *
 * <p>Deployment fails, before anything listens, when {@link GatewayOptions#refusal()} says so: a non-loopback host
 * without {@link GatewayOptions#getAuth() auth} and without {@link GatewayOptions#isInsecure() insecure}.
 */
public class GatewayVerticle extends VerticleBase {

  private final GatewayOptions options;
  private final BrokerOptions brokerOptions;
  private Broker broker;
  private HttpServer server;
  private ConnectionGuard guard;
  private GatewayMeters meters;
  private volatile boolean accepting;

  /**
   * A gateway that starts its own broker (default {@link BrokerOptions}) on the Vert.x it is deployed on and closes it
   * when undeployed.
   */
  public GatewayVerticle(GatewayOptions options) {
    this.options = new GatewayOptions(Objects.requireNonNull(options, "options"));
    this.brokerOptions = new BrokerOptions();
  }

  /** A gateway in front of an existing broker, which stays open when the gateway is undeployed. */
  public GatewayVerticle(Broker broker, GatewayOptions options) {
    this.options = new GatewayOptions(Objects.requireNonNull(options, "options"));
    this.broker = Objects.requireNonNull(broker, "broker");
    this.brokerOptions = null;
  }

  /**
   * Applies authentication, grants, rate and stream limits and CORS of {@code options}; connection limits, TLS and
   * the loopback rule belong to the host app's own server. Reads the key files {@code options} names: call it off
   * the event loop (e.g. in {@code executeBlocking}) when it names any.
   *
   * @return a router with every gateway route, for mounting on a host app's router (as a sub-router); errors are
   *     answered as problem+json by the router itself
   */
  public static Router router(Vertx vertx, Broker broker, GatewayOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(options, "options");
    return HttpGateway.router(vertx, broker, new GatewayOptions(options), () -> true);
  }

  @Override
  public Future<?> start() {
    String refusal = options.refusal();
    if (refusal != null) {
      return Future.failedFuture(new IllegalStateException(refusal));
    }
    Future<Broker> b = broker != null ? Future.succeededFuture(broker) : Broker.create(vertx, brokerOptions);
    return b.compose(br -> {
      broker = br;
      // Key files are read while the router is built: off the event loop.
      return vertx.executeBlocking(() -> HttpGateway.router(vertx, br, options, () -> accepting));
    }).compose(router -> {
      HttpServerOptions http = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setMaxHeaderSize(options.getMaxHeaderSize())
        .setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setIdleTimeout((int) options.getIdleTimeout().toSeconds())
        .setCompressionSupported(false);
      http2(http, options.getHttp2());
      if (options.getTlsKeyFile() != null) {
        http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setKeyPath(options.getTlsKeyFile())
          .setCertPath(options.getTlsCertFile())).setUseAlpn(options.getHttp2().isEnabled());
      }
      guard = new ConnectionGuard(vertx, options);
      if (broker.meterRegistry() != null) {
        meters = new GatewayMeters(broker.meterRegistry());
        meters.connections(guard::connections);
      }
      server = vertx.createHttpServer(http)
        .invalidRequestHandler(HttpGateway::invalidRequest)
        .connectionHandler(guard::connected)
        .requestHandler(guard.requests(router));
      return server.listen();
    }).andThen(ar -> accepting = ar.succeeded());
  }

  /**
   * HTTP/2's per-connection limits, announced in the server's SETTINGS frame and enforced by Netty's codec. h2c only
   * when asked: with h2c detection on, Vert.x hands an HTTP/1.1 connection over once its first request head is
   * complete, not as it is accepted, so {@link ConnectionGuard} times that first head out only from then on.
   */
  static void http2(HttpServerOptions http, Http2Options h2) {
    http.setHttp2ClearTextEnabled(h2.isCleartext())
      .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(h2.getMaxConcurrentStreams())
        .setMaxHeaderListSize(h2.getMaxHeaderListSize()).setInitialWindowSize(h2.getInitialWindowSize()))
      .setHttp2ConnectionWindowSize(h2.getConnectionWindowSize())
      .setHttp2RstFloodMaxRstFramePerWindow(h2.getMaxResetsPerWindow())
      .setHttp2RstFloodWindowDuration((int) h2.getResetWindow().toSeconds())
      .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
  }

  @Override
  public Future<?> stop() {
    accepting = false;
    if (guard != null) {
      guard.close();
    }
    if (meters != null) {
      meters.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> brokerOptions != null && broker != null ? broker.close()
      : Future.succeededFuture());
  }

  /**
   * Starts a drain: {@code /health/ready} answers 503 from now on, so a load balancer stops sending new work here, while
   * every route still serves (requests in flight and clients that have not noticed yet).
   */
  public void drain() {
    accepting = false;
  }

  /**
   * Stops gracefully: stops accepting connections, ends every SSE stream with a last comment (its client reconnects,
   * to another node behind the same address), lets the requests in flight finish for up to {@code grace}, then closes
   * the connections left. Undeploying afterwards only releases what remains.
   *
   * @return completed when every connection is closed
   */
  public Future<Void> shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    accepting = false;
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** @return connection counters of the running server (for tests and metrics), or {@code null} before start */
  public ConnectionGuard connections() {
    return guard;
  }

  /** @return the port the server listens on (useful with port 0), or -1 before it listens */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** @return the broker behind this gateway, or {@code null} before start when it starts its own */
  public Broker broker() {
    return broker;
  }
}
