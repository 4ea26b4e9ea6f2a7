package dev.ferrymq.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@link dev.ferrymq.GatewayOptions#setAccessLog}): one line per request, written when its response
 * ends or its connection closes, so an SSE stream is logged once, when it ends. Logger {@code dev.ferrymq.access},
 * level INFO; the line is {@code METHOD PATH STATUS BYTESb MSms CLIENT}, and the structured fields are also passed as
 * key-value pairs (a JSON encoder shows them as fields).
 */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("dev.ferrymq.access");

  private AccessLog() {
  }

  /** The first handler of the router: notes the start and logs at the end. */
  static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(ar -> log(request, ctx, start, ar.succeeded()));
    ctx.next();
  }

  private static void log(HttpServerRequest request, RoutingContext ctx, long start, boolean ended) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    int status = ctx.response().getStatusCode();
    long bytes = ctx.response().bytesWritten();
    SocketAddress remote = request.remoteAddress();
    String client = remote == null ? "-" : remote.hostAddress();
    String path = Problems.truncate(request.path(), 200);
    LOG.atInfo()
      .addKeyValue("method", request.method().name())
      .addKeyValue("path", path)
      .addKeyValue("status", status)
      .addKeyValue("bytes", bytes)
      .addKeyValue("ms", ms)
      .addKeyValue("client", client)
      .log("{} {} {} {}b {}ms {}{}", request.method().name(), path, status, bytes, ms, client,
        ended ? "" : " (connection closed)");
  }
}
