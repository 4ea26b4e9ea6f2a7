package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection-level limits of the gateway's own HTTP server: at most {@code maxConnections} at once (more are closed
 * at once), and a deadline for the request line and headers ({@code requestHeaderTimeout}): a connection that opened,
 * or finished its previous exchange, and has not delivered a complete request head in time is closed. That stops
 * slowloris clients, which keep a connection alive by trickling header bytes under the idle timeout.
 */
public final class ConnectionGuard {

  private final Vertx vertx;
  private final int maxConnections;
  private final long headerTimeoutNanos;
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();
  private final AtomicInteger closedSlow = new AtomicInteger();
  private long timer = -1;

  /** One connection: waiting for a request head since {@code since}, or serving {@code current}. */
  private static final class State {
    volatile long since = System.nanoTime();
    volatile HttpServerRequest current;
  }

  public ConnectionGuard(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.maxConnections = options.getMaxConnections();
    this.headerTimeoutNanos = options.getRequestHeaderTimeout().toNanos();
    long period = Math.max(50, Math.min(1000, options.getRequestHeaderTimeout().toMillis() / 4));
    this.timer = vertx.setPeriodic(period, id -> sweep());
  }

  /** The server's connection handler. */
  public void connected(HttpConnection conn) {
    if (connections.incrementAndGet() > maxConnections) {
      Refusals.refused(conn.remoteAddress(), 0, "more than " + maxConnections + " connections are open");
      conn.closeHandler(v -> connections.decrementAndGet());
      conn.close();
      return;
    }
    states.put(conn, new State());
    conn.closeHandler(v -> {
      connections.decrementAndGet();
      states.remove(conn);
    });
  }

  /** @return {@code handler} preceded by marking the request's connection as busy (its head arrived in time) */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> handler) {
    return request -> {
      State state = states.get(request.connection());
      if (state != null) {
        state.current = request;
      }
      handler.handle(request);
    };
  }

  private void sweep() {
    long now = System.nanoTime();
    states.forEach((conn, state) -> {
      HttpServerRequest current = state.current;
      if (current != null) {
        if (!current.response().ended() || !current.isEnded()) {
          return; // serving a request (an SSE stream may last for hours)
        }
        state.current = null;
        state.since = now; // the exchange is over: the next request head is due within the timeout
      } else if (now - state.since > headerTimeoutNanos) {
        states.remove(conn);
        closedSlow.incrementAndGet();
        Refusals.refused(conn.remoteAddress(), 0, "no complete request head within " + headerTimeoutNanos / 1_000_000
          + " ms");
        conn.close();
      }
    });
  }

  /** @return connections open now */
  public int connections() {
    return connections.get();
  }

  /** @return connections closed because their request head did not arrive in time */
  public int closedSlow() {
    return closedSlow.get();
  }

  /** Stops the sweep timer. */
  public void close() {
    vertx.cancelTimer(timer);
  }
}
