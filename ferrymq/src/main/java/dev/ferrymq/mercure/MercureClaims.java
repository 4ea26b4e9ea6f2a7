package dev.ferrymq.mercure;

import dev.ferrymq.InvalidRequestException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Mercure token allows, from its {@code mercure} claim: {@code publish} (selectors every topic of a published
 * update must match) and {@code subscribe} (selectors of the private updates its holder may receive). The rules are
 * the reference hub's: public updates reach every subscriber whose {@code topic} selectors match one of the update's
 * topics; a private one also needs one of its topics to match a {@code subscribe} selector of the token.
 *
 * @param publish the {@code mercure.publish} selectors
 * @param subscribe the {@code mercure.subscribe} selectors
 * @param payload the {@code mercure.payload} value (shown in subscription events), or {@code null}
 */
public record MercureClaims(List<TopicSelector> publish, List<TopicSelector> subscribe, Object payload) {

  /** No token: no publishing, public updates only. */
  public static final MercureClaims NONE = new MercureClaims(List.of(), List.of(), null);
  /** A hub without authentication: everything is allowed. */
  public static final MercureClaims ALL = new MercureClaims(List.of(TopicSelector.of("*")),
    List.of(TopicSelector.of("*")), null);

  /**
   * @param claims a verified token's claims
   * @return what its {@code mercure} claim allows ({@link #NONE} without one)
   * @throws InvalidRequestException when the claim is malformed
   */
  public static MercureClaims fromToken(JsonObject claims) {
    Object m = claims.getValue("mercure");
    if (m == null) {
      return NONE;
    }
    if (!(m instanceof JsonObject mercure)) {
      throw new InvalidRequestException("the mercure claim must be an object");
    }
    return new MercureClaims(selectors(mercure, "publish"), selectors(mercure, "subscribe"),
      mercure.getValue("payload"));
  }

  private static List<TopicSelector> selectors(JsonObject mercure, String key) {
    Object v = mercure.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray array)) {
      throw new InvalidRequestException("mercure." + key + " must be an array of topic selectors");
    }
    List<TopicSelector> out = new ArrayList<>();
    for (Object s : array) {
      if (!(s instanceof String text)) {
        throw new InvalidRequestException("mercure." + key + " must be an array of topic selectors");
      }
      if (!text.isEmpty()) {
        out.add(TopicSelector.of(text));
      }
    }
    return List.copyOf(out);
  }

  /** @return whether every one of {@code topics} is matched by a {@code publish} selector */
  public boolean canPublish(List<String> topics) {
    for (String t : topics) {
      if (!anyMatches(publish, List.of(t))) {
        return false;
      }
    }
    return !topics.isEmpty();
  }

  /**
   * @param update an update
   * @param selectors the subscriber's {@code topic} selectors
   * @return whether a subscriber holding these claims, subscribed with {@code selectors}, receives {@code update}
   */
  public boolean canReceive(Update update, List<TopicSelector> selectors) {
    return anyMatches(selectors, update.topics())
      && (!update.privateUpdate() || anyMatches(subscribe, update.topics()));
  }

  /** @return whether a {@code subscribe} selector matches {@code topic} (the subscriptions API's rule) */
  public boolean canSubscribeTo(String topic) {
    return anyMatches(subscribe, List.of(topic));
  }

  static boolean anyMatches(List<TopicSelector> selectors, List<String> topics) {
    for (TopicSelector s : selectors) {
      for (String t : topics) {
        if (s.matches(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
