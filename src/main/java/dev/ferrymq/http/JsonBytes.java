package dev.ferrymq.http;

import dev.ferrymq.broker.Payloads;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes JSON straight into a {@link Buffer}, for the answers sent once per message (a delivery event, a send's
 * confirm), where building a {@code JsonObject} and encoding it through Jackson cost several copies of the payload.
 * Strings are escaped as Jackson does: quote, backslash and control characters; everything else as UTF-8.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private JsonBytes() {
  }

  /** Appends {@code s} as a JSON string, or {@code null}. */
  static Buffer string(Buffer out, String s) {
    if (s == null) {
      return out.appendString("null");
    }
    out.appendByte((byte) '"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        if (i > start) {
          out.appendString(s.substring(start, i));
        }
        escape(out, c);
        start = i + 1;
      }
    }
    if (start == 0) {
      out.appendString(s);
    } else if (start < s.length()) {
      out.appendString(s.substring(start));
    }
    return out.appendByte((byte) '"');
  }

  /**
   * Appends the payload as the members {@code "data"} (and {@code "encoding":"base64"} for bytes that are not UTF-8
   * text), the same as {@link Payloads#putPayload}.
   */
  static Buffer payload(Buffer out, Buffer payload) {
    byte[] bytes = payload.getBytes();
    boolean plain = true;
    for (byte b : bytes) {
      if (b < 0) {
        String text = Payloads.utf8OrNull(payload);
        if (text != null) {
          return string(out.appendString("\"data\":"), text);
        }
        return out.appendString("\"data\":\"").appendString(Base64.getEncoder().encodeToString(bytes))
          .appendString("\",\"encoding\":\"base64\"");
      }
      plain &= b >= 0x20 && b != '"' && b != '\\';
    }
    out.appendString("\"data\":\"");
    if (plain) {
      return out.appendBytes(bytes).appendByte((byte) '"'); // ASCII with nothing to escape: the common case
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b < 0x20 || b == '"' || b == '\\') {
        out.appendBytes(bytes, start, i - start);
        escape(out, (char) b);
        start = i + 1;
      }
    }
    out.appendBytes(bytes, start, bytes.length - start);
    return out.appendByte((byte) '"');
  }

  private static void escape(Buffer out, char c) {
    switch (c) {
      case '"' -> out.appendString("\\\"");
      case '\\' -> out.appendString("\\\\");
      case '\n' -> out.appendString("\\n");
      case '\r' -> out.appendString("\\r");
      case '\t' -> out.appendString("\\t");
      case '\b' -> out.appendString("\\b");
      case '\f' -> out.appendString("\\f");
      default -> out.appendString("\\u00").appendByte(HEX[c >> 4]).appendByte(HEX[c & 0xF]);
    }
  }
}
