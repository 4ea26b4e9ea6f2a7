package dev.ferrymq.http;

import dev.ferrymq.Grants;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every route: who is asking ({@link TokenAuth}), how fast ({@link RateLimiter}), whether the
 * route's {@link Access} is granted, and for SSE routes whether the client may open one more stream. It answers 401
 * (with {@code WWW-Authenticate}), 403 or 429 before the request body is read and before any stream starts.
 */
final class Gatekeeper {

  private static final String REALM = "Bearer realm=\"ferrymq\"";

  private final TokenAuth auth;
  private final Grants anonymous;
  private final RateLimiter rate;
  private final StreamLimiter streams;

  /** @param auth {@code null} when the gateway runs without authentication: every route is then allowed */
  Gatekeeper(TokenAuth auth, Grants anonymous, RateLimiter rate, StreamLimiter streams) {
    this.auth = auth;
    this.anonymous = anonymous;
    this.rate = rate;
    this.streams = streams;
  }

  Handler<RoutingContext> guard(Access access) {
    return ctx -> {
      if (access.open()) {
        ctx.next();
        return;
      }
      HttpServerRequest request = ctx.request();
      Future<Identity> who = auth == null ? Future.succeededFuture(Identity.unrestricted(request))
        : auth.identify(request);
      if (who.isComplete()) {
        decide(ctx, access, who.result());
      } else {
        request.pause();
        who.onComplete(ar -> {
          request.resume();
          decide(ctx, access, ar.succeeded() ? ar.result() : Identity.invalid(request, "invalid token"));
        });
      }
    };
  }

  private void decide(RoutingContext ctx, Access access, Identity who) {
    long wait = rate.acquire(who.client());
    if (wait > 0) {
      tooMany(ctx, who.client(), wait, "rate-limited", "too many requests from this client");
      return;
    }
    if (who.kind() == Identity.Kind.INVALID) {
      unauthorized(ctx, ", error=\"invalid_token\", error_description=\""
        + who.error().replaceAll("[^A-Za-z0-9 ._-]", "") + "\"", who.error());
      return;
    }
    if (!who.unrestricted()) {
      Grants grants = who.kind() == Identity.Kind.TOKEN ? who.grants().with(anonymous) : anonymous;
      if (who.kind() == Identity.Kind.ANONYMOUS && anonymous.isEmpty()) {
        unauthorized(ctx, "", "a bearer token is required");
        return;
      }
      boolean allowed;
      try {
        allowed = access.allowedBy(grants, ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      if (!allowed) {
        if (who.kind() == Identity.Kind.ANONYMOUS) {
          unauthorized(ctx, "", "a bearer token is required");
        } else {
          String detail = "the token does not grant " + access.describe()
            + (access.admin() ? "" : " on " + String.join(", ", access.names().apply(ctx)));
          Refusals.refused(who.client(), 403, detail);
          Problems.send(ctx, 403, "forbidden", detail);
        }
        return;
      }
    }
    if (access.stream() && !streams.acquire(who.client(), ctx)) {
      tooMany(ctx, who.client(), 1, "too-many-streams", "this client has too many event streams open");
      return;
    }
    ctx.next();
  }

  private static void unauthorized(RoutingContext ctx, String params, String detail) {
    Refusals.refused(ctx.request().remoteAddress(), 401, detail);
    ctx.response().putHeader("WWW-Authenticate", REALM + params);
    Problems.send(ctx, 401, "unauthorized", detail);
  }

  private static void tooMany(RoutingContext ctx, String client, long retryAfter, String code, String detail) {
    Refusals.refused(client, 429, detail);
    ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    Problems.send(ctx, 429, code, detail);
  }
}
