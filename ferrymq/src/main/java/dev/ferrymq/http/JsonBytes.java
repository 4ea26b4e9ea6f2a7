package dev.ferrymq.http;

import dev.ferrymq.Payloads;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes JSON straight into a {@link Buffer}, for the answers sent once per message (a delivery event, a send's
 * confirm), where building a {@code JsonObject} and encoding it through Jackson cost several copies of the payload.
 * Strings are escaped as Jackson does: quote, backslash and control characters; everything else as UTF-8.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

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
    if (plainAscii(payload)) { // the common case: ASCII text with nothing to escape, copied as it is
      return out.appendString("\"data\":\"").appendBuffer(payload).appendByte((byte) '"');
    }
    byte[] bytes = payload.getBytes();
    for (byte b : bytes) {
      if (b < 0) {
        String text = Payloads.utf8OrNull(payload);
        if (text != null) {
          return string(out.appendString("\"data\":"), text);
        }
        return out.appendString("\"data\":\"").appendString(Base64.getEncoder().encodeToString(bytes))
          .appendString("\",\"encoding\":\"base64\"");
      }
    }
    out.appendString("\"data\":\""); // ASCII with something to escape
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

  /**
   * @return whether every byte is ASCII from 0x20 up and neither {@code "} nor {@code \}: JSON string content as it
   *     is. Tests eight bytes at a time (a 1 KiB payload byte by byte was 7 % of a node's samples in W1 over HTTP).
   */
  static boolean plainAscii(Buffer b) {
    // On the backing array, not through Buffer.getLong: that checks bounds and reference count on every call.
    ByteBuf buf = ((BufferInternal) b).getByteBuf();
    if (buf.hasArray()) {
      return plainAscii(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    }
    byte[] bytes = b.getBytes();
    return plainAscii(bytes, 0, bytes.length);
  }

  private static boolean plainAscii(byte[] a, int from, int n) {
    int i = from;
    int end = from + n;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(a, i);
      long special = (x & HIGH) // a byte of 0x80 and up
        | ((x - 0x20 * ONES) & ~x & HIGH) // a byte below 0x20
        | zeroByte(x ^ ('"' * ONES)) | zeroByte(x ^ ('\\' * ONES));
      if (special != 0) {
        return false;
      }
    }
    for (; i < end; i++) {
      byte c = a[i];
      if (c < 0x20 || c == '"' || c == '\\') { // negative: 0x80 and up
        return false;
      }
    }
    return true;
  }

  /** @return non-zero when a byte of {@code v} is zero */
  private static long zeroByte(long v) {
    return (v - ONES) & ~v & HIGH;
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
