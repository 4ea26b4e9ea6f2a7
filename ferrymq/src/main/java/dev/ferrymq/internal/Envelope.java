package dev.ferrymq.internal;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A message as stored and moved: id, time, content type, headers, payload and an optional reply address. Its binary
 * form is what the event bus carries and what Hazelcast and the store keep, so owners rarely decode it.
 */
public record Envelope(String id, long timestamp, String contentType, Map<String, String> headers, Buffer payload,
                       String replyTo) {

  private static final byte VERSION = 1;

  /** @return a new envelope with a fresh id */
  public static Envelope create(long timestamp, String contentType, Map<String, String> headers, Buffer payload,
                                String replyTo) {
    return new Envelope(newId(), timestamp, contentType, headers, payload, replyTo);
  }

  /**
   * @return a random (version 4) UUID from {@link ThreadLocalRandom}: as unique as {@code UUID.randomUUID()} for
   *     message ids, without its shared SecureRandom on every send
   */
  public static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb).toString();
  }

  /** @return the binary form */
  public Buffer encode() {
    Buffer out = Buffer.buffer(payload.length() + 96);
    out.appendByte(VERSION);
    putString(out, id);
    out.appendLong(timestamp);
    putString(out, contentType);
    putString(out, replyTo);
    out.appendInt(headers.size());
    headers.forEach((k, v) -> {
      putString(out, k);
      putString(out, v);
    });
    out.appendInt(payload.length());
    out.appendBuffer(payload);
    return out;
  }

  /** @return the envelope whose binary form starts at {@code pos} of {@code in} */
  public static Envelope decode(Buffer in, int pos) {
    int[] p = {pos};
    byte version = in.getByte(p[0]++);
    if (version != VERSION) {
      throw new IllegalStateException("unknown envelope version " + version);
    }
    String id = getString(in, p);
    long ts = in.getLong(p[0]);
    p[0] += 8;
    String ct = getString(in, p);
    String replyTo = getString(in, p);
    int n = in.getInt(p[0]);
    p[0] += 4;
    Map<String, String> headers = n == 0 ? Map.of() : new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      headers.put(getString(in, p), getString(in, p));
    }
    int len = in.getInt(p[0]);
    p[0] += 4;
    Buffer payload = in.getBuffer(p[0], p[0] + len);
    return new Envelope(id, ts, ct, headers, payload, replyTo);
  }

  /** @return the id of the envelope whose binary form is {@code bytes}, without decoding the rest */
  public static String readId(Buffer bytes) {
    return getString(bytes, new int[] {1});
  }

  /** @return the timestamp of the envelope whose binary form is {@code bytes}, without decoding the rest */
  public static long readTimestamp(byte[] bytes) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes); // big-endian, as Buffer writes
    int idLength = b.getInt(1);
    return b.getLong(5 + Math.max(0, idLength));
  }

  /** @return the envelope in {@code bytes} */
  public static Envelope decode(byte[] bytes) {
    return decode(Buffer.buffer(bytes), 0);
  }

  /** @return a copy with {@code extra} headers added */
  public Envelope withHeaders(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(headers);
    merged.putAll(extra);
    return new Envelope(id, timestamp, contentType, merged, payload, replyTo);
  }

  /** Writes a length-prefixed UTF-8 string; null as length -1. */
  public static void putString(Buffer out, String s) {
    if (s == null) {
      out.appendInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(b.length);
    out.appendBytes(b);
  }

  /** Reads what {@link #putString} wrote at {@code p[0]} and moves {@code p[0]} past it. */
  public static String getString(Buffer in, int[] p) {
    int len = in.getInt(p[0]);
    p[0] += 4;
    if (len < 0) {
      return null;
    }
    String s = in.getString(p[0], p[0] + len, "UTF-8");
    p[0] += len;
    return s;
  }
}
