package dev.ferrymq.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Signs test tokens with an HS256 secret, good ones and every kind of bad one. */
final class Tokens {

  static final String SECRET = "test-secret-of-at-least-32-bytes-0123456789";
  static final String ISSUER = "ferrymq-tests";
  static final String AUDIENCE = "ferrymq";

  private final JWTAuth signer;

  Tokens(Vertx vertx, String secret) {
    signer = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  Tokens(Vertx vertx) {
    this(vertx, SECRET);
  }

  /** @return a token with these grants, issuer and audience, valid for an hour */
  String grant(JsonObject grants) {
    return sign(claims(grants, AUDIENCE, 3600));
  }

  /** @return claims with {@code iat}, {@code exp} = now + {@code ttlSeconds} (negative: expired), iss and aud */
  static JsonObject claims(JsonObject grants, String audience, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "tester").put("iss", ISSUER).put("aud", audience).put("iat", now - 7200)
      .put("exp", now + ttlSeconds).put("ferrymq", grants);
  }

  String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  /** @return an unsigned token ({@code alg: none}) with these claims */
  static String unsigned(JsonObject claims) {
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.encode()) + ".";
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
