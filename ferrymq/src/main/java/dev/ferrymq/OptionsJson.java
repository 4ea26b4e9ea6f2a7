package dev.ferrymq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of queue and topic options from JSON that comes from outside (an HTTP body, a file): a field the
 * options do not have, or a value of the wrong type, is refused with an {@link InvalidRequestException} that names the
 * field and says what it expects, in plain words. {@link QueueOptions#merge} and {@link TopicOptions#merge} stay
 * lenient (they read what the broker itself wrote).
 *
 * <p>What each field expects is read off the JSON form of the defaults: a number there is a whole number, a duration
 * ({@code "30s"}) a duration, a {@link Durability} name a durability, other text text; fields that the defaults leave
 * out (the dead-letter queue) may also be {@code null}. So a field added to the options classes is checked without a
 * change here. Ranges are the setters' business, as before.
 */
public final class OptionsJson {

  private OptionsJson() {
  }

  /**
   * @param base the options the changes apply to (fields absent from {@code json} keep their value there)
   * @param json the changes
   * @return new options: {@code base} with the fields of {@code json}
   * @throws InvalidRequestException on an unknown field, a wrong type or a value out of range
   */
  public static QueueOptions queue(QueueOptions base, JsonObject json) {
    Objects.requireNonNull(base, "base");
    check(json, "queue options", new QueueOptions().toJson(), new QueueOptions().setDeadLetterQueue("").toJson());
    return new QueueOptions(base).merge(json);
  }

  /**
   * @param json topic options; absent fields take their defaults
   * @return the options
   * @throws InvalidRequestException on an unknown field, a wrong type or a value out of range
   */
  public static TopicOptions topic(JsonObject json) {
    check(json, "topic options", new TopicOptions().toJson(), new TopicOptions().toJson());
    return new TopicOptions(json);
  }

  /**
   * @param defaults the JSON form of default options
   * @param full the JSON form with every optional field set too
   */
  private static void check(JsonObject json, String what, JsonObject defaults, JsonObject full) {
    Objects.requireNonNull(json, "json");
    for (Map.Entry<String, Object> e : json) {
      String field = e.getKey();
      if (!full.containsKey(field)) {
        throw new InvalidRequestException("unknown field \"" + cut(field) + "\" in " + what
          + suggestion(field, full.fieldNames()) + "; the fields are " + String.join(", ", full.fieldNames()));
      }
      Object value = e.getValue();
      if (value == null && !defaults.containsKey(field)) {
        continue; // an optional field set back to its default
      }
      String expected = expected(full.getValue(field), value);
      if (expected != null) {
        throw new InvalidRequestException(field + " must be " + expected + ", was " + describe(value));
      }
    }
  }

  /** @return what a field whose default is {@code sample} expects, or {@code null} when {@code value} fits */
  private static String expected(Object sample, Object value) {
    if (sample instanceof Number) {
      boolean whole = value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte;
      boolean fits = whole && (sample instanceof Long || value instanceof Integer
        || ((Number) value).longValue() == ((Number) value).intValue());
      return fits ? null : sample instanceof Long ? "a whole number" : "a whole number up to " + Integer.MAX_VALUE;
    }
    if (sample instanceof Boolean) {
      return value instanceof Boolean ? null : "true or false";
    }
    if (sample instanceof String s) {
      if (isDurability(s)) {
        return value instanceof String ? null : "one of MEMORY, ASYNC or SYNC";
      }
      if (isDuration(s)) {
        return value instanceof String || value instanceof Integer || value instanceof Long ? null
          : "a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\", or a whole number of milliseconds";
      }
      return value instanceof String ? null : "text";
    }
    return null;
  }

  private static boolean isDurability(String s) {
    for (Durability d : Durability.values()) {
      if (d.name().equals(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDuration(String s) {
    try {
      Durations.parse(s, "");
      return true;
    } catch (InvalidRequestException e) {
      return false;
    }
  }

  /** @return the JSON value in plain words: {@code "x" (text)}, {@code 2.5}, {@code true}, {@code a list} */
  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + cut(s) + "\" (text)";
    }
    if (value instanceof JsonArray || value instanceof java.util.List) {
      return "a list";
    }
    if (value instanceof JsonObject || value instanceof Map) {
      return "an object";
    }
    return cut(String.valueOf(value));
  }

  /** @return {@code " (did you mean \"x\"?)"} for a field one or two letters away from a known one, else "" */
  private static String suggestion(String field, Set<String> known) {
    TreeSet<String> close = new TreeSet<>();
    for (String k : known) {
      if (distance(field.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT)) <= 2) {
        close.add(k);
      }
    }
    return close.isEmpty() ? "" : " (did you mean \"" + close.first() + "\"?)";
  }

  /** Levenshtein distance, for short field names only. */
  private static int distance(String a, String b) {
    if (a.length() > 64 || b.length() > 64) {
      return Integer.MAX_VALUE;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** @return client text shortened for a message */
  private static String cut(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
