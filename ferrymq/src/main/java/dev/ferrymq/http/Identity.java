package dev.ferrymq.http;

import dev.ferrymq.Grants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who sent a request: nobody in particular (no token), a valid token with its grants, or an invalid token.
 *
 * @param kind which of the three
 * @param grants the token's grants ({@link Grants#NONE} unless {@code kind} is {@link Kind#TOKEN})
 * @param client the key limits are counted by: {@code sub:<subject>} for a token, {@code ip:<address>} otherwise
 * @param error why a token was refused, for {@link Kind#INVALID}
 */
record Identity(Kind kind, Grants grants, String client, String error) {

  enum Kind { ANONYMOUS, TOKEN, INVALID }

  /** Everything allowed: the gateway runs without authentication (loopback or explicitly insecure). */
  static Identity unrestricted(HttpServerRequest request) {
    return new Identity(Kind.TOKEN, null, ip(request), null);
  }

  static Identity anonymous(HttpServerRequest request) {
    return new Identity(Kind.ANONYMOUS, Grants.NONE, ip(request), null);
  }

  static Identity token(Grants grants, String client) {
    return new Identity(Kind.TOKEN, grants, client, null);
  }

  static Identity invalid(HttpServerRequest request, String error) {
    return new Identity(Kind.INVALID, Grants.NONE, ip(request), error);
  }

  /** @return whether no grant check applies (no authentication configured) */
  boolean unrestricted() {
    return kind == Kind.TOKEN && grants == null;
  }

  private static String ip(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return "ip:" + (remote == null ? "unknown" : remote.hostAddress());
  }
}
