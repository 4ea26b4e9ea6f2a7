package dev.ferrymq.http;

import dev.ferrymq.mercure.MercureClaims;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The first step of both hub routes, as {@link Gatekeeper} is for FerryMQ's own: the rate limit per client, then the
 * token judged by {@link MercureAuth}. A refused token is a 401 problem with a {@code WWW-Authenticate} challenge.
 */
final class MercureGate {

  private static final String REALM = "Bearer realm=\"mercure\"";

  private final MercureAuth auth;
  private final RateLimiter rate;

  MercureGate(MercureAuth auth, RateLimiter rate) {
    this.auth = auth;
    this.rate = rate;
  }

  /**
   * Calls {@code then} on the request's context with the token's claims ({@code null}: no token), unless the client
   * is over its rate or its token is refused: those are answered here.
   */
  void claims(RoutingContext ctx, boolean publish, Handler<MercureClaims> then) {
    long wait = rate.acquire(client(ctx));
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Problems.send(ctx.response(), 429, "rate-limited", "too many requests from this client", ctx.request());
      return;
    }
    Future<MercureClaims> claims = auth.claims(ctx.request(), publish);
    claims.onComplete(ar -> {
      if (ar.succeeded()) {
        try {
          then.handle(ar.result());
        } catch (RuntimeException e) {
          ctx.fail(e);
        }
      } else if (ar.cause() instanceof MercureAuth.Refused r) {
        ctx.response().putHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
        Problems.send(ctx.response(), 401, "unauthorized", r.getMessage(), ctx.request());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  void unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", REALM);
    Problems.send(ctx.response(), 401, "unauthorized", detail, ctx.request());
  }

  /** @return the key limits count by: the remote address (tokens are only judged after the rate check) */
  static String client(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    return "ip:" + (remote == null ? "unknown" : remote.hostAddress());
  }
}
