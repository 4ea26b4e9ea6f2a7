package dev.ferrymq.http;

import dev.ferrymq.FerryException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: every error becomes an RFC 9457 {@code application/problem+json} response. */
final class Problems implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String TYPE_PREFIX = "urn:ferrymq:problem:";

  private final RouteTable routes;

  Problems(RouteTable routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    handle(ctx, ctx.statusCode());
  }

  /**
   * The router's error handler for {@code routerStatus}. vertx-web calls it without a failure in the context when
   * route matching itself threw, which only malformed input (a bad escape in the path or query) does: a 400.
   */
  Handler<RoutingContext> forStatus(int routerStatus) {
    return ctx -> {
      if (ctx.failure() == null && ctx.statusCode() == -1 && routerStatus == 500) {
        handle(ctx, 400);
      } else {
        handle(ctx, ctx.statusCode() == -1 ? routerStatus : ctx.statusCode());
      }
    };
  }

  private void handle(RoutingContext ctx, int statusCode) {
    StreamLimiter.release(ctx);
    Throwable failure = ctx.failure();
    int status = statusOf(failure, statusCode);
    String code = failure instanceof FerryException f ? f.code() : codeOf(status);
    String detail = detailOf(failure, status);
    if (status >= 500 && !(failure instanceof FerryException)) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    } else if (status == 413 || status == 429) {
      Refusals.refused(ctx.request().remoteAddress(), status, detail);
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // An SSE stream already answered 200: all that is left is to close it, the client will reconnect.
      ctx.request().connection().close();
      return;
    }
    if (status == 405) {
      response.putHeader("Allow", String.join(", ", routes.methodsFor(ctx.request().path())));
    }
    retryAfter(response, status);
    if (status == 413) {
      // The rest of the body is not read: close the connection once answered.
      response.putHeader("Connection", "close");
      ctx.addEndHandler(ar -> ctx.request().connection().close());
    }
    ctx.put(GatewayMeters.PROBLEM, code);
    send(response, status, code, detail, ctx.request());
  }

  /** Answers {@code ctx} with a problem, counted as a rejected request of type {@code code}. */
  static void send(RoutingContext ctx, int status, String code, String detail) {
    ctx.put(GatewayMeters.PROBLEM, code);
    send(ctx.response(), status, code, detail, ctx.request());
  }

  /** @return one failed item of a batch: {@code {"status","type"}} of {@code failure}, as its own problem would say */
  static JsonObject failedItem(Throwable failure) {
    int status = statusOf(failure, 500);
    return new JsonObject().put("status", status)
      .put("type", TYPE_PREFIX + (failure instanceof FerryException f ? f.code() : codeOf(status)));
  }

  /**
   * Answers a batch of which some items failed: problem {@code batch-failed} with the first failure's status (and
   * {@code Retry-After} as for that status alone) and {@code members} that say which items.
   */
  static void batchFailed(RoutingContext ctx, int status, String detail, JsonObject members) {
    retryAfter(ctx.response(), status);
    ctx.put(GatewayMeters.PROBLEM, "batch-failed");
    send(ctx.response(), status, "batch-failed", detail, ctx.request(), members);
  }

  /** A 503 or 429 from the broker (unavailable, queue full) clears by itself: the client may retry after a second. */
  private static void retryAfter(HttpServerResponse response, int status) {
    if (status == 503 || status == 429) {
      response.putHeader("Retry-After", "1");
    }
  }

  static void send(HttpServerResponse response, int status, String code, String detail, HttpServerRequest request) {
    send(response, status, code, detail, request, null);
  }

  /** Like {@link #send(HttpServerResponse, int, String, String, HttpServerRequest)} with extension members. */
  static void send(HttpServerResponse response, int status, String code, String detail, HttpServerRequest request,
                   JsonObject extensions) {
    JsonObject problem = new JsonObject()
      .put("type", TYPE_PREFIX + code)
      .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
      .put("status", status)
      .put("detail", detail);
    if (request != null) {
      problem.put("instance", truncate(request.path(), 200));
    }
    if (extensions != null) {
      extensions.forEach(e -> problem.put(e.getKey(), e.getValue()));
    }
    response.setStatusCode(status)
      .putHeader("Content-Type", "application/problem+json")
      .putHeader("Cache-Control", "no-store")
      .end(problem.toBuffer());
  }

  static int statusOf(Throwable failure, int statusCode) {
    if (failure instanceof FerryException f) {
      return f.status();
    } else if (failure instanceof DecodeException || failure instanceof IllegalArgumentException) {
      return 400;
    } else if (failure instanceof HttpException h) {
      return h.getStatusCode();
    }
    return statusCode >= 400 && statusCode < 600 ? statusCode : 500;
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 431 -> "headers-too-large";
      default -> status >= 500 ? "internal-error" : "http-" + status;
    };
  }

  private static String detailOf(Throwable failure, int status) {
    if (status == 500) {
      return "unexpected error";
    }
    if (failure instanceof DecodeException) {
      return "malformed JSON body";
    }
    if (failure != null && failure.getMessage() != null && !(failure instanceof HttpException)) {
      return truncate(failure.getMessage(), 500);
    }
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "request body over the limit";
      default -> HttpResponseStatus.valueOf(status).reasonPhrase();
    };
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
