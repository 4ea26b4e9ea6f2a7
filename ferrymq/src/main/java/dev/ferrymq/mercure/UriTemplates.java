package dev.ferrymq.mercure;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an RFC 6570 URI template into a matcher of every URI it can expand to. Each expression stands for what its
 * operator can produce: simple {@code {x}} one value without {@code /?#}, {@code {+x}} and {@code {#x}} anything,
 * {@code {/x}}, {@code {.x}} and {@code {;x}} zero or more prefixed segments, {@code {?x}} and {@code {&x}} a query
 * part. Vert.x's {@code vertx-uri-template} only expands templates, so matching is done here — in time linear in the
 * topic's length for each part, never by a backtracking regular expression (a subscriber's template of many
 * expressions would otherwise hold an event loop on every update).
 */
final class UriTemplates {

  private UriTemplates() {
  }

  /** One piece of a template: a literal, or what an expression can expand to. */
  private record Part(String literal, char prefix, String excluded, boolean repeated) {

    boolean allows(char c) {
      return excluded == null || excluded.indexOf(c) < 0;
    }
  }

  /** A compiled template. */
  record Matcher(List<Part> parts) {

    /** @return whether {@code topic} is one of the template's expansions */
    boolean matches(String topic) {
      int n = topic.length();
      boolean[] reach = new boolean[n + 1];
      reach[0] = true;
      for (Part part : parts) {
        reach = step(part, topic, reach);
      }
      return reach[n];
    }

    /** @return the positions reachable after {@code part} from those of {@code reach} */
    private static boolean[] step(Part part, String t, boolean[] reach) {
      int n = t.length();
      boolean[] out = new boolean[n + 1];
      if (part.literal != null) {
        int len = part.literal.length();
        for (int p = 0; p + len <= n; p++) {
          out[p + len] |= reach[p] && t.startsWith(part.literal, p);
        }
        return out;
      }
      if (part.prefix == 0) { // zero or more allowed characters
        for (int p = 0; p <= n; p++) {
          out[p] = reach[p] || p > 0 && out[p - 1] && part.allows(t.charAt(p - 1));
        }
        return out;
      }
      // A prefix character then allowed characters: once (optional) or any number of times.
      boolean[] inside = new boolean[n + 1];
      for (int p = 0; p <= n; p++) {
        out[p] = reach[p] || inside[p];
        if (p == n) {
          break;
        }
        boolean mayStart = part.repeated ? out[p] : reach[p];
        if (mayStart && t.charAt(p) == part.prefix || inside[p] && part.allows(t.charAt(p))) {
          inside[p + 1] = true;
        }
      }
      return out;
    }
  }

  /** @return the matcher, or {@code null} when {@code template} is not a well-formed template */
  static Matcher compile(String template) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (open < 0) {
        if (close >= 0) {
          return null;
        }
        parts.add(literal(template.substring(i)));
        break;
      }
      if (close >= 0 && close < open) {
        return null;
      }
      if (open > i) {
        parts.add(literal(template.substring(i, open)));
      }
      int end = template.indexOf('}', open);
      if (end < 0 || template.indexOf('{', open + 1) >= 0 && template.indexOf('{', open + 1) < end) {
        return null;
      }
      Part part = expression(template.substring(open + 1, end));
      if (part == null) {
        return null;
      }
      parts.add(part);
      i = end + 1;
    }
    return new Matcher(List.copyOf(parts));
  }

  private static Part literal(String text) {
    return new Part(text, (char) 0, null, false);
  }

  private static Part expression(String expr) {
    if (expr.isEmpty()) {
      return null;
    }
    char op = expr.charAt(0);
    String vars = "+#./;?&".indexOf(op) >= 0 ? expr.substring(1) : expr;
    if (!vars.matches("([A-Za-z0-9_.]|%[0-9A-Fa-f]{2})+(:[1-9][0-9]{0,3}|\\*)?"
      + "(,([A-Za-z0-9_.]|%[0-9A-Fa-f]{2})+(:[1-9][0-9]{0,3}|\\*)?)*")) {
      return null;
    }
    return switch (op) {
      case '+' -> new Part(null, (char) 0, null, false);
      case '#' -> new Part(null, '#', null, false);
      case '/' -> new Part(null, '/', "/?#", true);
      case '.' -> new Part(null, '.', "/?#.", true);
      case ';' -> new Part(null, ';', "/?#;", true);
      case '?' -> new Part(null, '?', "#", false);
      case '&' -> new Part(null, '&', "#", false);
      default -> new Part(null, (char) 0, "/?#", false);
    };
  }
}
