package dev.ferrymq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a client may do, per action and destination pattern: the {@code "ferrymq"} claim of a token, or the anonymous
 * grants of {@link AuthOptions}. JSON form:
 * {@code {"publish":["orders.*"],"subscribe":["prices.*"],"consume":["jobs"],"request":["svc.*"],"admin":false}}.
 *
 * <p>Patterns: a destination name in which {@code *} stands for any run of characters, dots included, and nothing
 * else is special; a pattern matches the whole name, case-sensitively. {@code orders.*} matches {@code orders.eu} and
 * {@code orders.eu.paris} but not {@code orders}; {@code *} matches every name. {@code publish} covers both topics and
 * queues of a matching name; {@code subscribe} topics; {@code consume} queues (deliveries, leases, settlement, stats);
 * {@code request} request/reply addresses. {@code admin} allows listing, configuring, purging, deleting, dead letters
 * and the cluster view.
 *
 * <p>{@link #allows} also takes a {@link TopicPattern} ({@code orders.*}, {@code orders.>}) as the name: it is allowed
 * when a grant pattern covers every name it can match, its {@code *} and {@code >} being taken only by a grant's
 * {@code *}. A grant {@code orders.*} allows {@code orders.*}, {@code orders.>} and {@code orders.eu}; a grant
 * {@code orders.eu} does not allow {@code orders.*}.
 */
public final class Grants {

  /** An action on a destination. */
  public enum Action {
    /** Publish to a topic or send to a queue. */
    PUBLISH,
    /** Subscribe to a topic, read its history and stats. */
    SUBSCRIBE,
    /** Consume from a queue: deliveries, leases, ack/nack/extend/reject, stats. */
    CONSUME,
    /** Send a request to an address and get its reply. */
    REQUEST;

    /** @return the JSON field name, e.g. {@code "publish"} */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** No grant at all. */
  public static final Grants NONE = new Grants(new EnumMap<>(Action.class), false);

  private static final int MAX_PATTERNS = 1000;
  private final Map<Action, List<String>> patterns;
  private final boolean admin;

  private Grants(Map<Action, List<String>> patterns, boolean admin) {
    this.patterns = patterns;
    this.admin = admin;
  }

  /**
   * @param json the JSON form (absent fields grant nothing)
   * @throws InvalidRequestException when a field has the wrong type or a pattern is not a valid name pattern
   */
  public static Grants fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    Map<Action, List<String>> map = new EnumMap<>(Action.class);
    int total = 0;
    for (Action action : Action.values()) {
      Object raw = json.getValue(action.key());
      if (raw == null) {
        continue;
      }
      if (!(raw instanceof JsonArray array)) {
        throw new InvalidRequestException("grant \"" + action.key() + "\" must be an array of name patterns");
      }
      List<String> list = new ArrayList<>();
      for (Object p : array) {
        list.add(checkPattern(p));
      }
      total += list.size();
      map.put(action, List.copyOf(list));
    }
    Object admin = json.getValue("admin", false);
    if (!(admin instanceof Boolean) || total > MAX_PATTERNS) {
      throw new InvalidRequestException("grant \"admin\" must be a boolean and there may be at most " + MAX_PATTERNS
        + " patterns");
    }
    return new Grants(map, (Boolean) admin);
  }

  private static String checkPattern(Object p) {
    if (!(p instanceof String s) || !s.matches("[A-Za-z0-9._*-]{1,200}")) {
      throw new InvalidRequestException("a grant pattern is a name in [A-Za-z0-9._-] with * wildcards, was " + p);
    }
    return s;
  }

  /** @return grants of {@code this} and {@code other} together */
  public Grants with(Grants other) {
    Map<Action, List<String>> map = new EnumMap<>(Action.class);
    for (Action a : Action.values()) {
      List<String> both = new ArrayList<>(patterns.getOrDefault(a, List.of()));
      both.addAll(other.patterns.getOrDefault(a, List.of()));
      if (!both.isEmpty()) {
        map.put(a, List.copyOf(both));
      }
    }
    return new Grants(map, admin || other.admin);
  }

  /** @return whether {@code action} is granted on the destination {@code name} */
  public boolean allows(Action action, String name) {
    for (String p : patterns.getOrDefault(action, List.of())) {
      if (matches(p, name)) {
        return true;
      }
    }
    return false;
  }

  /** @return whether admin routes are granted */
  public boolean admin() {
    return admin;
  }

  /** @return whether any action at all is granted */
  public boolean isEmpty() {
    return !admin && patterns.values().stream().allMatch(List::isEmpty);
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    patterns.forEach((a, list) -> json.put(a.key(), new JsonArray(new ArrayList<>(list))));
    return json.put("admin", admin);
  }

  /** {@code *} matches any run of characters; iterative, linear in practice, no regular expressions. */
  static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int mark = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = n;
      } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grants g && g.admin == admin && g.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(patterns, admin);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
