package dev.ferrymq;

import java.time.Duration;
import java.util.Locale;

/** Parsing and checking of the durations in options, query parameters and headers ({@code 500ms}, {@code 30s}). */
public final class Durations {

  private Durations() {
  }

  /**
   * @param value a number of milliseconds, or a string like {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a
   *     bare number of seconds as text ({@code "20"})
   * @param what the field's name, for the error
   */
  public static Duration parse(Object value, String what) {
    if (value instanceof Number n) {
      if (n.longValue() < 0) {
        throw new InvalidRequestException(what + " must not be negative");
      }
      return Duration.ofMillis(n.longValue());
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > 32) {
      throw new InvalidRequestException(what + " must be a duration like 500ms, 30s, 5m or 1h");
    }
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      long unit;
      String digits;
      if (t.endsWith("ms")) {
        unit = 1;
        digits = t.substring(0, t.length() - 2);
      } else if (t.endsWith("s")) {
        unit = 1000;
        digits = t.substring(0, t.length() - 1);
      } else if (t.endsWith("m")) {
        unit = 60_000;
        digits = t.substring(0, t.length() - 1);
      } else if (t.endsWith("h")) {
        unit = 3_600_000;
        digits = t.substring(0, t.length() - 1);
      } else {
        unit = 1000;
        digits = t;
      }
      long n = Long.parseLong(digits.trim());
      if (n < 0 || n > Long.MAX_VALUE / unit / 2) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(n * unit);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(what + " must be a duration like 500ms, 30s, 5m or 1h, was '" + s + "'");
    }
  }

  /** @return {@code d} as text that {@link #parse} reads back */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    return ms / 1000 + "s";
  }

  /** @return {@code d} when it lies in {@code [min, max]}, else an {@link InvalidRequestException} is thrown */
  public static Duration check(Duration d, Duration min, Duration max, String what) {
    if (d == null) {
      throw new InvalidRequestException(what + " must be given");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new InvalidRequestException(what + " must be between " + format(min) + " and " + format(max)
        + ", was " + format(d));
    }
    return d;
  }

  /** @return the durability named by {@code name}, case-insensitively */
  public static Durability durability(String name) {
    try {
      return Durability.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("durability must be memory, async or sync, was '" + name + "'");
    }
  }
}
