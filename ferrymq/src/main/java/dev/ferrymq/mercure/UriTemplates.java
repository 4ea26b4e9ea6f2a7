package dev.ferrymq.mercure;

import java.util.regex.Pattern;

/**
 * Turns an RFC 6570 URI template into a pattern that matches every URI it can expand to. Each expression stands for
 * what its operator can produce: simple {@code {x}} one value without {@code /?#}, {@code {+x}} and {@code {#x}}
 * anything, {@code {/x}}, {@code {.x}} and {@code {;x}} zero or more prefixed segments, {@code {?x}} and {@code {&x}}
 * a query part. Vert.x's {@code vertx-uri-template} only expands templates, so matching is done here.
 */
final class UriTemplates {

  private UriTemplates() {
  }

  /** @return the pattern, or {@code null} when {@code template} is not a well-formed template */
  static Pattern toPattern(String template) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (open < 0) {
        if (close >= 0) {
          return null;
        }
        re.append(Pattern.quote(template.substring(i)));
        break;
      }
      if (close >= 0 && close < open) {
        return null;
      }
      if (open > i) {
        re.append(Pattern.quote(template.substring(i, open)));
      }
      int end = template.indexOf('}', open);
      if (end < 0 || template.indexOf('{', open + 1) >= 0 && template.indexOf('{', open + 1) < end) {
        return null;
      }
      String expr = template.substring(open + 1, end);
      String part = expression(expr);
      if (part == null) {
        return null;
      }
      re.append(part);
      i = end + 1;
    }
    return Pattern.compile(re.toString());
  }

  private static String expression(String expr) {
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
      case '+' -> ".*";
      case '#' -> "(?:#.*)?";
      case '/' -> "(?:/[^/?#]*)*";
      case '.' -> "(?:\\.[^/?#.]*)*";
      case ';' -> "(?:;[^/?#;]*)*";
      case '?' -> "(?:\\?[^#]*)?";
      case '&' -> "(?:&[^#]*)?";
      default -> "[^/?#]*";
    };
  }
}
