package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection-level limits of the gateway's own HTTP server: at most {@code maxConnections} at once (more are closed
 * at once), a deadline for the request line and headers ({@code requestHeaderTimeout}) and one for the body
 * ({@code requestBodyTimeout}). A connection that opened, or finished its last exchange, and has not delivered a
 * complete request head in time is closed: that stops slowloris clients, which keep a connection alive by trickling
 * header bytes under the idle timeout, and HTTP/2 clients that open a connection and send no request (or trickle a
 * header block in CONTINUATION frames, which HTTP/2 hands over only once complete). A request whose body has not
 * arrived in time after its head is cut off: its HTTP/2 stream is reset, its HTTP/1.1 connection closed. An HTTP/2
 * connection is busy while any of its streams is.
 */
public final class ConnectionGuard {

  private final Vertx vertx;
  private final int maxConnections;
  private final long headerTimeoutNanos;
  private final long bodyTimeoutNanos;
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();
  private final AtomicInteger closedSlow = new AtomicInteger();
  private final AtomicInteger cutSlowBodies = new AtomicInteger();
  private long timer = -1;

  /** A request being served and when its head arrived. */
  private record Active(HttpServerRequest request, long since) {
  }

  /** One connection: waiting for a request head since {@code since}, or serving the requests in {@code active}. */
  private static final class State {
    volatile long since = System.nanoTime();
    volatile boolean busy;
    final Queue<Active> active = new ConcurrentLinkedQueue<>();
  }

  public ConnectionGuard(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.maxConnections = options.getMaxConnections();
    this.headerTimeoutNanos = options.getRequestHeaderTimeout().toNanos();
    this.bodyTimeoutNanos = options.getRequestBodyTimeout().toNanos();
    long shortest = Math.min(options.getRequestHeaderTimeout().toMillis(), options.getRequestBodyTimeout().toMillis());
    long period = Math.max(50, Math.min(1000, shortest / 4));
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
        // Finished exchanges are let go here, not only by the sweep: a request keeps its body (through its handlers)
        // until it is forgotten, and a keep-alive flood makes hundreds of them between two sweeps.
        state.active.removeIf(ConnectionGuard::finished);
        state.active.add(new Active(request, System.nanoTime()));
        state.busy = true;
      }
      handler.handle(request);
    };
  }

  private void sweep() {
    long now = System.nanoTime();
    states.forEach((conn, state) -> {
      for (Active a : state.active) {
        HttpServerResponse response = a.request.response();
        if (finished(a)) {
          state.active.remove(a);
        } else if (!a.request.isEnded() && now - a.since > bodyTimeoutNanos) {
          state.active.remove(a);
          cutSlowBodies.incrementAndGet();
          Refusals.refused(conn.remoteAddress(), 0, "no complete request body within " + bodyTimeoutNanos / 1_000_000
            + " ms");
          if (a.request.version() == HttpVersion.HTTP_2) {
            response.reset();
          } else {
            conn.close();
          }
        }
      }
      if (!state.active.isEmpty()) {
        return; // serving a request (an SSE stream may last for hours)
      }
      if (state.busy) {
        state.busy = false;
        state.since = now; // the exchanges are over: the next request head is due within the timeout
      } else if (now - state.since > headerTimeoutNanos) {
        states.remove(conn);
        closedSlow.incrementAndGet();
        Refusals.refused(conn.remoteAddress(), 0, "no complete request head within " + headerTimeoutNanos / 1_000_000
          + " ms");
        conn.close();
      }
    });
  }

  private static boolean finished(Active a) {
    HttpServerResponse response = a.request.response();
    return (response.ended() && a.request.isEnded()) || response.closed();
  }

  /** @return connections open now */
  public int connections() {
    return connections.get();
  }

  /** @return requests the guard holds on to now: those being served, and finished ones not yet let go */
  public int tracked() {
    int n = 0;
    for (State state : states.values()) {
      n += state.active.size();
    }
    return n;
  }

  /** @return connections closed because their request head did not arrive in time */
  public int closedSlow() {
    return closedSlow.get();
  }

  /** @return requests cut off because their body did not arrive in time */
  public int cutSlowBodies() {
    return cutSlowBodies.get();
  }

  /** Stops the sweep timer. */
  public void close() {
    vertx.cancelTimer(timer);
  }
}
