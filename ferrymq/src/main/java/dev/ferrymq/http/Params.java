package dev.ferrymq.http;

import dev.ferrymq.Durations;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and checking path parameters, query parameters and headers; bad ones throw 400s. */
final class Params {

  /** Request headers with this prefix are carried with the message as application headers (prefix removed). */
  static final String HEADER_PREFIX = "ferry-header-";

  private Params() {
  }

  static String name(RoutingContext ctx, String param) {
    return Names.check(ctx.pathParam(param));
  }

  static String query(RoutingContext ctx, String name) {
    try {
      return ctx.queryParams().get(name);
    } catch (RuntimeException e) {
      throw new InvalidRequestException("malformed query string");
    }
  }

  /** @return the cursor {@code ?after=} of a listing, or {@code null} for the first page (absent or empty) */
  static String after(RoutingContext ctx) {
    String after = query(ctx, "after");
    return after == null || after.isEmpty() ? null : after;
  }

  static int integer(RoutingContext ctx, String name, int def, int min, int max) {
    String v = query(ctx, name);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be an integer between " + min + " and " + max);
    }
  }

  /** @return the duration in query parameter {@code name}, or {@code def} (may be null) when absent */
  static Duration duration(RoutingContext ctx, String name, Duration def) {
    String v = query(ctx, name);
    return v == null ? def : Durations.parse(v, name);
  }

  /** @return whether {@code ?ack=auto} asks for at-most-once consumption ({@code manual}, the default, does not) */
  static boolean autoAck(RoutingContext ctx) {
    String v = query(ctx, "ack");
    if (v == null || v.equals("manual")) {
      return false;
    }
    if (v.equals("auto")) {
      return true;
    }
    throw new InvalidRequestException("ack must be auto or manual");
  }

  /** @return the timeout from {@code ?timeout=} or {@code Prefer: wait=N} (seconds, RFC 7240), or {@code null} */
  static Duration timeout(RoutingContext ctx) {
    Duration t = duration(ctx, "timeout", null);
    if (t != null) {
      return t;
    }
    String prefer = ctx.request().getHeader("Prefer");
    if (prefer != null) {
      for (String part : prefer.split("[,;]")) {
        String p = part.trim();
        if (p.regionMatches(true, 0, "wait=", 0, 5)) {
          return Durations.parse(p.substring(5).trim(), "Prefer: wait");
        }
      }
    }
    return null;
  }

  /** @return {@code Ferry-Header-X: v} request headers as {@code X -> v} */
  static Map<String, String> appHeaders(HttpServerRequest request) {
    Map<String, String> out = new LinkedHashMap<>();
    MultiMap headers = request.headers();
    headers.forEach(e -> {
      String k = e.getKey();
      if (k.length() > HEADER_PREFIX.length() && k.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
        out.put(k.substring(HEADER_PREFIX.length()).toLowerCase(java.util.Locale.ROOT), e.getValue());
      }
    });
    return out;
  }

  /** @return the partition key of {@code Ferry-Key}, 1 to 200 characters, or {@code null} */
  static String partitionKey(HttpServerRequest request) {
    String key = request.getHeader("Ferry-Key");
    if (key != null && (key.isEmpty() || key.length() > 200)) {
      throw new InvalidRequestException("Ferry-Key must have 1 to 200 characters");
    }
    return key;
  }

  /** @return {@code headers} with the partition key of {@code Ferry-Key}, if any, as header {@code ferrymq-key} */
  static Map<String, String> withPartitionKey(HttpServerRequest request, Map<String, String> headers) {
    String key = partitionKey(request);
    if (key != null) {
      headers.put(dev.ferrymq.SendOptions.PARTITION_KEY_HEADER, key);
    }
    return headers;
  }

  static String contentType(HttpServerRequest request) {
    String ct = request.getHeader("Content-Type");
    return ct == null || ct.isBlank() ? null : ct;
  }
}
