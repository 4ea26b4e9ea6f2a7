package dev.ferrymq;

import dev.ferrymq.http.HttpGateway;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

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
 */
public class GatewayVerticle extends VerticleBase {

  private final GatewayOptions options;
  private final BrokerOptions brokerOptions;
  private Broker broker;
  private HttpServer server;
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
    Future<Broker> b = broker != null ? Future.succeededFuture(broker) : Broker.create(vertx, brokerOptions);
    return b.compose(br -> {
      broker = br;
      HttpServerOptions http = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setMaxHeaderSize(options.getMaxHeaderSize())
        .setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setIdleTimeout((int) options.getIdleTimeout().toSeconds())
        .setCompressionSupported(false);
      Router router = HttpGateway.router(vertx, br, options, () -> accepting);
      AtomicInteger connections = new AtomicInteger();
      server = vertx.createHttpServer(http)
        .invalidRequestHandler(HttpGateway::invalidRequest)
        .connectionHandler(conn -> {
          if (connections.incrementAndGet() > options.getMaxConnections()) {
            conn.close();
          }
          conn.closeHandler(v -> connections.decrementAndGet());
        })
        .requestHandler(router);
      return server.listen();
    }).andThen(ar -> accepting = ar.succeeded());
  }

  @Override
  public Future<?> stop() {
    accepting = false;
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> brokerOptions != null && broker != null ? broker.close()
      : Future.succeededFuture());
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
