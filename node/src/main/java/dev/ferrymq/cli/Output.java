package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How messages are printed: for people the payload as it is, one per line; for scripts one JSON line each. */
final class Output {

  private Output() {
  }

  /** Writes a payload and a line break: text as is, base64 ({@code encoded}) decoded back to its bytes. */
  static void payload(PrintStream out, String data, boolean encoded) {
    byte[] bytes = encoded ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.println();
  }

  /** Writes the {@code "data"} (and {@code "encoding"}) of a message or delivery as {@link #payload} does. */
  static void payload(PrintStream out, JsonObject message) {
    Object data = message.getValue("data");
    payload(out, data == null ? "" : data instanceof String s ? s : String.valueOf(data),
      "base64".equals(message.getString("encoding")));
  }

  /** @return {@code json} after {@code {"<kind>":"<name>"}}: a JSON line that says where it came from */
  static JsonObject tagged(String kind, String name, JsonObject json) {
    JsonObject line = new JsonObject().put(kind, name);
    json.forEach(e -> line.put(e.getKey(), e.getValue()));
    return line;
  }
}
