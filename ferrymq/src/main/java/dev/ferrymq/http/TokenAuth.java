package dev.ferrymq.http;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.Grants;
import dev.ferrymq.InvalidRequestException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Finds who sent a request: a JWT from {@code Authorization: Bearer}, or from the token cookie on GET requests only
 * (what an {@code EventSource} sends; a cross-site form can POST with cookies, so no state change rides on one). The
 * token's algorithm must be the configured one, it must carry {@code exp}, and its {@code "ferrymq"} claim holds its
 * {@link Grants}. A token in the query string is never looked at.
 */
final class TokenAuth {

  /** The claim holding a token's grants. */
  static final String CLAIM = "ferrymq";

  private final AuthOptions options;
  private final JWTAuth jwt;

  /** Reads the key files named in {@code options} (blocking: call it off the event loop). */
  TokenAuth(Vertx vertx, AuthOptions options) {
    this.options = options;
    JWTOptions jwtOptions = new JWTOptions().setLeeway((int) options.getLeeway().toSeconds())
      .setIgnoreExpiration(false).setIssuer(options.getIssuer());
    if (options.getAudience() != null) {
      jwtOptions.addAudience(options.getAudience());
    }
    this.jwt = JWTAuth.create(vertx, keys(options).setJWTOptions(jwtOptions));
  }

  private static JWTAuthOptions keys(AuthOptions o) {
    String alg = o.getAlgorithm();
    JWTAuthOptions keys = new JWTAuthOptions();
    if (alg.startsWith("HS")) {
      String secret = o.getSecret() != null ? o.getSecret() : o.getSecretFile() != null ? read(o.getSecretFile()) : null;
      if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < AuthOptions.MIN_SECRET_BYTES) {
        throw new InvalidRequestException(alg + " needs auth.secret or auth.secretFile with at least "
          + AuthOptions.MIN_SECRET_BYTES + " bytes");
      }
      return keys.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(secret));
    }
    if (o.getPublicKeyFile() != null) {
      return keys.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(read(o.getPublicKeyFile())));
    }
    if (o.getJwksFile() != null) {
      for (Object k : new JsonObject(read(o.getJwksFile())).getJsonArray("keys")) {
        JsonObject jwk = (JsonObject) k;
        if (!alg.equals(jwk.getString("alg")) || jwk.containsKey("k")) {
          throw new InvalidRequestException("every key of " + o.getJwksFile() + " must be a public key with \"alg\":\""
            + alg + "\"");
        }
        keys.addJwk(jwk);
      }
      return keys;
    }
    throw new InvalidRequestException(alg + " needs auth.publicKeyFile or auth.jwksFile");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      throw new InvalidRequestException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** @return the identity of the request's sender; never failed (an invalid token gives an invalid identity) */
  Future<Identity> identify(HttpServerRequest request) {
    String token = token(request);
    if (token == null) {
      return Future.succeededFuture(Identity.anonymous(request));
    }
    String alg = headerAlg(token);
    if (!options.getAlgorithm().equals(alg)) {
      return Future.succeededFuture(Identity.invalid(request, "token algorithm not accepted"));
    }
    return jwt.authenticate(new TokenCredentials(token)).map(user -> {
      JsonObject claims = user.attributes().getJsonObject("accessToken");
      if (!(claims.getValue("exp") instanceof Number)) {
        return Identity.invalid(request, "the token has no exp");
      }
      Object grants = claims.getValue(CLAIM, new JsonObject());
      if (!(grants instanceof JsonObject g)) {
        return Identity.invalid(request, "the " + CLAIM + " claim must be an object");
      }
      String sub = claims.getString("sub");
      return Identity.token(Grants.fromJson(g), "sub:" + (sub != null ? sub : token.substring(token.lastIndexOf('.'))));
    }).otherwise(e -> Identity.invalid(request, "invalid token"));
  }

  private String token(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }
    if (request.method() == HttpMethod.GET) {
      Cookie cookie = request.getCookie(options.getCookieName());
      return cookie == null ? null : cookie.getValue();
    }
    return null;
  }

  /** @return the {@code alg} of a JWS's header, or {@code null} when it has none or is not one */
  static String headerAlg(String token) {
    int dot = token.indexOf('.');
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, Math.max(dot, 0))),
        StandardCharsets.UTF_8));
      return header.getString("alg");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
