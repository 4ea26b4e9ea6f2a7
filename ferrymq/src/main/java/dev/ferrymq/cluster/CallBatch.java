package dev.ferrymq.cluster;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wire form of several owner calls to one member in one event-bus message, and of their answers in one reply:
 * each call keeps its target address, headers, send timeout and body; each answer is the owner's reply (headers and
 * body) or its failure (code and message). Bodies are those owner calls carry: nothing, a buffer, a string, JSON, a
 * number or a boolean.
 */
final class CallBatch {

  /** One owner call. */
  record Call(String address, MultiMap headers, long timeoutMs, Object body) {
  }

  /** One owner's answer: a reply ({@code failed} false) or a failure with its code and message. */
  record Result(boolean failed, MultiMap headers, Object body, int code, String message) {

    static Result reply(MultiMap headers, Object body) {
      return new Result(false, headers, body, 0, null);
    }

    static Result failure(int code, String message) {
      return new Result(true, null, null, code, message);
    }
  }

  private static final byte NULL = 0;
  private static final byte BUFFER = 1;
  private static final byte STRING = 2;
  private static final byte JSON_OBJECT = 3;
  private static final byte JSON_ARRAY = 4;
  private static final byte LONG = 5;
  private static final byte INT = 6;
  private static final byte BOOLEAN = 7;

  private CallBatch() {
  }

  /** @return whether {@code body} has a wire form here (other calls travel on their own) */
  static boolean carries(Object body) {
    return body == null || body instanceof Buffer || body instanceof String || body instanceof JsonObject
      || body instanceof JsonArray || body instanceof Long || body instanceof Integer || body instanceof Boolean;
  }

  static Buffer encodeCalls(List<Call> calls) {
    Buffer out = Buffer.buffer(64 * calls.size());
    out.appendInt(calls.size());
    for (Call c : calls) {
      string(out, c.address());
      out.appendLong(c.timeoutMs());
      headers(out, c.headers());
      body(out, c.body());
    }
    return out;
  }

  static List<Call> decodeCalls(Buffer in) {
    int[] pos = {0};
    int n = in.getInt(pos[0]);
    pos[0] += 4;
    List<Call> calls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String address = string(in, pos);
      long timeout = in.getLong(pos[0]);
      pos[0] += 8;
      MultiMap headers = headers(in, pos);
      calls.add(new Call(address, headers, timeout, body(in, pos)));
    }
    return calls;
  }

  /** @throws IllegalArgumentException when a reply's body has no wire form here */
  static Buffer encodeResults(List<Result> results) {
    Buffer out = Buffer.buffer(32 * results.size());
    out.appendInt(results.size());
    for (Result r : results) {
      out.appendByte(r.failed() ? (byte) 1 : 0);
      if (r.failed()) {
        out.appendInt(r.code());
        string(out, r.message() == null ? "" : r.message());
      } else {
        headers(out, r.headers());
        body(out, r.body());
      }
    }
    return out;
  }

  static List<Result> decodeResults(Buffer in) {
    int[] pos = {0};
    int n = in.getInt(0);
    pos[0] = 4;
    List<Result> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean failed = in.getByte(pos[0]++) == 1;
      if (failed) {
        int code = in.getInt(pos[0]);
        pos[0] += 4;
        results.add(Result.failure(code, string(in, pos)));
      } else {
        MultiMap headers = headers(in, pos);
        results.add(Result.reply(headers, body(in, pos)));
      }
    }
    return results;
  }

  private static void headers(Buffer out, MultiMap headers) {
    if (headers == null || headers.isEmpty()) {
      out.appendInt(0);
      return;
    }
    List<Map.Entry<String, String>> entries = headers.entries();
    out.appendInt(entries.size());
    for (Map.Entry<String, String> e : entries) {
      string(out, e.getKey());
      string(out, e.getValue());
    }
  }

  private static MultiMap headers(Buffer in, int[] pos) {
    int n = in.getInt(pos[0]);
    pos[0] += 4;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < n; i++) {
      headers.add(string(in, pos), string(in, pos));
    }
    return headers;
  }

  private static void body(Buffer out, Object body) {
    if (body == null) {
      out.appendByte(NULL);
    } else if (body instanceof Buffer b) {
      out.appendByte(BUFFER).appendInt(b.length()).appendBuffer(b);
    } else if (body instanceof String s) {
      out.appendByte(STRING);
      string(out, s);
    } else if (body instanceof JsonObject o) {
      out.appendByte(JSON_OBJECT);
      string(out, o.encode());
    } else if (body instanceof JsonArray a) {
      out.appendByte(JSON_ARRAY);
      string(out, a.encode());
    } else if (body instanceof Long l) {
      out.appendByte(LONG).appendLong(l);
    } else if (body instanceof Integer i) {
      out.appendByte(INT).appendInt(i);
    } else if (body instanceof Boolean b) {
      out.appendByte(BOOLEAN).appendByte(b ? (byte) 1 : 0);
    } else {
      throw new IllegalArgumentException("no wire form for a " + body.getClass().getName());
    }
  }

  private static Object body(Buffer in, int[] pos) {
    byte tag = in.getByte(pos[0]++);
    switch (tag) {
      case NULL:
        return null;
      case BUFFER: {
        int len = in.getInt(pos[0]);
        pos[0] += 4;
        Buffer b = in.getBuffer(pos[0], pos[0] + len);
        pos[0] += len;
        return b;
      }
      case STRING:
        return string(in, pos);
      case JSON_OBJECT:
        return new JsonObject(string(in, pos));
      case JSON_ARRAY:
        return new JsonArray(string(in, pos));
      case LONG: {
        long l = in.getLong(pos[0]);
        pos[0] += 8;
        return l;
      }
      case INT: {
        int i = in.getInt(pos[0]);
        pos[0] += 4;
        return i;
      }
      case BOOLEAN:
        return in.getByte(pos[0]++) == 1;
      default:
        throw new IllegalArgumentException("unknown body tag " + tag);
    }
  }

  private static void string(Buffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String string(Buffer in, int[] pos) {
    int len = in.getInt(pos[0]);
    pos[0] += 4;
    String s = in.getString(pos[0], pos[0] + len, "UTF-8");
    pos[0] += len;
    return s;
  }
}
