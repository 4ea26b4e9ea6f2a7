package dev.ferrymq.http;

import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.MercureOptions;
import dev.ferrymq.mercure.MercureClaims;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Judges Mercure tokens by the reference hub's rules, apart from FerryMQ's own {@link TokenAuth}: a JWS from
 * {@code Authorization: Bearer}, the {@code authorization} query parameter or (on GET only) the
 * {@code mercureAuthorization} cookie; signed with the configured algorithm and the publisher's or subscriber's key;
 * {@code exp} checked when present but not required; the {@code mercure} claim read by {@link MercureClaims}.
 */
final class MercureAuth {

  /** A token was presented and refused; {@code getMessage()} says why in plain words. */
  static final class Refused extends RuntimeException {
    Refused(String why) {
      super(why, null, false, false);
    }
  }

  private final MercureOptions options;
  /** {@code null} when no key is configured: every token is refused (or all is allowed, see {@link #open}). */
  private final JWTAuth publisher;
  private final JWTAuth subscriber;
  private final String subscriberAlg;
  private final boolean open;

  /** @param open whether the hub runs without authentication (no key and a gateway without auth) */
  MercureAuth(Vertx vertx, MercureOptions options, boolean open) {
    this.options = options;
    this.open = open && options.getPublisherJwtKey() == null && options.getSubscriberJwtKey() == null;
    this.publisher = jwt(vertx, options.getPublisherJwtAlg(), options.getPublisherJwtKey());
    boolean own = options.getSubscriberJwtKey() != null;
    this.subscriber = own ? jwt(vertx, options.getSubscriberJwtAlg(), options.getSubscriberJwtKey()) : publisher;
    this.subscriberAlg = own ? options.getSubscriberJwtAlg() : options.getPublisherJwtAlg();
  }

  private static JWTAuth jwt(Vertx vertx, String alg, String key) {
    if (key == null) {
      return null;
    }
    if (key.isBlank()) {
      throw new InvalidRequestException("a Mercure " + alg + " key must not be empty");
    }
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg)
      .setBuffer(key)));
  }

  /** @return whether the hub runs without authentication: every request has {@link MercureClaims#ALL} */
  boolean open() {
    return open;
  }

  /**
   * @param publish whether the publisher's key judges the token (else the subscriber's)
   * @return the token's claims, {@code null} when no token was presented, or failed with {@link Refused}
   */
  Future<MercureClaims> claims(HttpServerRequest request, boolean publish) {
    if (open) {
      return Future.succeededFuture(MercureClaims.ALL);
    }
    String token = token(request);
    if (token == null) {
      return Future.succeededFuture();
    }
    JWTAuth jwt = publish ? publisher : subscriber;
    String alg = publish ? options.getPublisherJwtAlg() : subscriberAlg;
    if (jwt == null) {
      return Future.failedFuture(new Refused("this hub has no key for " + (publish ? "publisher" : "subscriber")
        + " tokens"));
    }
    if (!alg.equals(TokenAuth.headerAlg(token))) {
      return Future.failedFuture(new Refused("token algorithm not accepted"));
    }
    return jwt.authenticate(new TokenCredentials(token))
      .recover(e -> Future.failedFuture(new Refused("invalid token")))
      .map(user -> {
        try {
          return MercureClaims.fromToken(user.attributes().getJsonObject("accessToken", new JsonObject()));
        } catch (InvalidRequestException e) {
          throw new Refused(e.getMessage());
        }
      });
  }

  private String token(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }
    String query;
    try {
      query = request.getParam("authorization");
    } catch (RuntimeException e) {
      query = null;
    }
    if (query != null) {
      return query;
    }
    if (request.method() == HttpMethod.GET) {
      // A cross-site form can POST with cookies: a cookie never authorizes a publish.
      Cookie cookie = request.getCookie(options.getCookieName());
      return cookie == null ? null : cookie.getValue();
    }
    return null;
  }

}
