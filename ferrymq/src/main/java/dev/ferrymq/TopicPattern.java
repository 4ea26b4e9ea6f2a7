package dev.ferrymq;

import java.util.List;

/**
 * A topic name or a pattern of names, as NATS subjects: names are split into segments at {@code .}; a segment
 * {@code *} matches exactly one segment (not empty) and a last segment {@code >} matches one or more remaining
 * segments. {@code orders.*} matches {@code orders.eu} but neither {@code orders} nor {@code orders.eu.paris};
 * {@code orders.>} matches both {@code orders.eu} and {@code orders.eu.paris} but not {@code orders}. A pattern without
 * wildcard matches the one topic of that name. Wildcards are whole segments: {@code ord*} is not a pattern.
 *
 * @param text the pattern, e.g. {@code orders.*}
 */
public record TopicPattern(String text) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException when {@code text} is neither a name nor a pattern
   */
  public TopicPattern {
    if (text == null || text.isEmpty() || text.length() > 200) {
      throw new InvalidRequestException("a topic pattern has 1 to 200 characters");
    }
    List<String> segments = List.of(text.split("\\.", -1));
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      boolean wildcard = s.equals("*") || (s.equals(">") && i == segments.size() - 1);
      if (!wildcard && !s.isEmpty() && !Names.valid(s)) {
        throw new InvalidRequestException("invalid topic pattern '" + (text.length() > 60 ? text.substring(0, 60) + "…"
          : text) + "': segments separated by '.' are names in [A-Za-z0-9_-], '*' (one segment) or a last '>' "
          + "(the remaining segments)");
      }
    }
  }

  /** @return whether {@code text} has a wildcard segment (so it is a pattern, not a plain name) */
  public static boolean isPattern(String text) {
    if (text == null) {
      return false;
    }
    for (String s : text.split("\\.", -1)) {
      if (s.equals("*") || s.equals(">")) {
        return true;
      }
    }
    return false;
  }

  /** @return whether this has a wildcard (else it names one topic) */
  public boolean isWildcard() {
    return isPattern(text);
  }

  /** @return whether the topic {@code name} matches this pattern */
  public boolean matches(String name) {
    if (name == null) {
      return false;
    }
    String[] p = text.split("\\.", -1);
    String[] n = name.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals(">") && i == p.length - 1) {
        return n.length > i && restNotEmpty(n, i);
      }
      if (i >= n.length) {
        return false;
      }
      if (p[i].equals("*") ? n[i].isEmpty() : !p[i].equals(n[i])) {
        return false;
      }
    }
    return p.length == n.length;
  }

  private static boolean restNotEmpty(String[] n, int from) {
    return !(n.length == from + 1 && n[from].isEmpty());
  }

  @Override
  public String toString() {
    return text;
  }
}
