package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a {@link PatternSubscription} starts in each topic it follows. JSON form:
 * {@code {"from":"latest","positions":{"orders.eu":12,"orders.us":7},"maxTopics":1000}}.
 *
 * <ul>
 *   <li>A topic named in {@code positions} resumes after its sequence number there.</li>
 *   <li>Any other topic that exists when the subscription starts begins at {@code from}; when {@code positions} is not
 *   empty (a resume), at the beginning of its history instead: it was not followed when those positions were taken, so
 *   none of its messages were seen.</li>
 *   <li>A topic created (or first matched) after the subscription started begins at the start of its history.</li>
 * </ul>
 */
public class SubscribeOptions {

  /** Topics that exist when the subscription starts begin with their next message. */
  public static final Position DEFAULT_FROM = Position.LATEST;
  /** At most 1,000 topics followed by one subscription. */
  public static final int DEFAULT_MAX_TOPICS = 1000;

  private Position from = DEFAULT_FROM;
  private Map<String, Long> positions = new TreeMap<>();
  private int maxTopics = DEFAULT_MAX_TOPICS;

  /** Defaults. */
  public SubscribeOptions() {
  }

  /** @param other options to copy */
  public SubscribeOptions(SubscribeOptions other) {
    this.from = other.from;
    this.positions = new TreeMap<>(other.positions);
    this.maxTopics = other.maxTopics;
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed field
   */
  public SubscribeOptions(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      if (json.containsKey("from")) {
        setFrom(Position.parse(String.valueOf(json.getValue("from"))));
      }
      if (json.containsKey("positions")) {
        Map<String, Long> map = new TreeMap<>();
        json.getJsonObject("positions").forEach(e -> map.put(e.getKey(), ((Number) e.getValue()).longValue()));
        setPositions(map);
      }
      if (json.containsKey("maxTopics")) {
        setMaxTopics(json.getInteger("maxTopics"));
      }
    } catch (ClassCastException | NullPointerException e) {
      throw new InvalidRequestException("malformed subscribe options: " + e.getMessage());
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject pos = new JsonObject();
    positions.forEach(pos::put);
    return new JsonObject().put("from", from.isLatest() ? "latest" : Long.toString(from.after()))
      .put("positions", pos).put("maxTopics", maxTopics);
  }

  /** @return where topics that exist at the start (and are not in {@link #getPositions()}) begin */
  public Position getFrom() {
    return from;
  }

  /** @param from where topics that exist at the start begin @return this */
  public SubscribeOptions setFrom(Position from) {
    this.from = Objects.requireNonNull(from, "from");
    return this;
  }

  /** @return the last sequence number seen, per topic (a copy) */
  public Map<String, Long> getPositions() {
    return new TreeMap<>(positions);
  }

  /**
   * @param positions the last sequence number seen per topic (per partition of a partitioned topic, named
   *     {@code topic~i}), as {@link PatternSubscription#positions()} tells
   * @return this
   * @throws InvalidRequestException on a bad name or a negative sequence number
   */
  public SubscribeOptions setPositions(Map<String, Long> positions) {
    Map<String, Long> copy = new TreeMap<>();
    Objects.requireNonNull(positions, "positions").forEach((name, seq) -> {
      if (seq == null || seq < 0) {
        throw new InvalidRequestException("a position is a sequence number >= 0, was " + seq);
      }
      if (!Names.validOrPartition(name)) { // a partition of a partitioned topic has its own position: topic~i
        throw new InvalidNameException(name);
      }
      copy.put(name, seq);
    });
    this.positions = copy;
    return this;
  }

  /** @return the most topics one subscription follows; topics that match beyond it are left out (and logged) */
  public int getMaxTopics() {
    return maxTopics;
  }

  /** @param maxTopics at least 1 @return this */
  public SubscribeOptions setMaxTopics(int maxTopics) {
    if (maxTopics < 1) {
      throw new InvalidRequestException("maxTopics must be at least 1");
    }
    this.maxTopics = maxTopics;
    return this;
  }
}
