package dev.ferrymq.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/** Signs Mercure tokens as a Mercure publisher's back-end would: the {@code mercure} claim, no {@code exp}. */
final class MercureTokens {

  static final String PUBLISHER_KEY = "publisher-secret-of-at-least-32-bytes-0123";
  static final String SUBSCRIBER_KEY = "subscriber-secret-of-at-least-32-bytes-456";

  private final JWTAuth publisher;
  private final JWTAuth subscriber;

  MercureTokens(Vertx vertx) {
    publisher = signer(vertx, PUBLISHER_KEY);
    subscriber = signer(vertx, SUBSCRIBER_KEY);
  }

  private static JWTAuth signer(Vertx vertx, String key) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key)));
  }

  /** @return a publisher token allowed to publish to {@code selectors}, without {@code exp} */
  String publisher(String... selectors) {
    return publisher.generateToken(claim("publish", List.of(selectors)), new JWTOptions().setNoTimestamp(true));
  }

  /** @return a subscriber token allowed to receive the private updates of {@code selectors}, without {@code exp} */
  String subscriber(String... selectors) {
    return subscriber.generateToken(claim("subscribe", List.of(selectors)), new JWTOptions().setNoTimestamp(true));
  }

  /** @return a subscriber token whose {@code mercure} claim is {@code mercure}, without {@code exp} */
  String subscriberClaim(JsonObject mercure) {
    return subscriber.generateToken(new JsonObject().put("mercure", mercure), new JWTOptions().setNoTimestamp(true));
  }

  /** @return a subscriber token that expired a minute ago */
  String expiredSubscriber() {
    JsonObject claims = claim("subscribe", List.of("*")).put("exp", System.currentTimeMillis() / 1000 - 60);
    return subscriber.generateToken(claims, new JWTOptions().setNoTimestamp(true));
  }

  private static JsonObject claim(String key, List<String> selectors) {
    return new JsonObject().put("mercure", new JsonObject().put(key, new JsonArray(selectors)));
  }
}
