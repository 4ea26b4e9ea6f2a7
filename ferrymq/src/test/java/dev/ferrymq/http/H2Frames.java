package dev.ferrymq.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Raw HTTP/2 frames, for tests that play a client no library would be: silent, trickling, greedy. */
final class H2Frames {

  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int GOAWAY = 7;
  static final int CONTINUATION = 9;
  static final int END_STREAM = 1;
  static final int ACK = 1;
  static final int END_HEADERS = 4;
  static final long REFUSED_STREAM = 7;

  /** A frame received: its type, flags, stream and payload. */
  record Frame(int type, int flags, int stream, Buffer payload) {
    long errorCode() {
      return type == RST_STREAM ? payload.getUnsignedInt(0) : type == GOAWAY ? payload.getUnsignedInt(4) : -1;
    }
  }

  private H2Frames() {
  }

  /** @return the client connection preface followed by an empty SETTINGS frame and an ACK of the server's */
  static Buffer preface() {
    return Buffer.buffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
      .appendBuffer(frame(SETTINGS, 0, 0, Buffer.buffer())).appendBuffer(frame(SETTINGS, ACK, 0, Buffer.buffer()));
  }

  static Buffer frame(int type, int flags, int stream, Buffer payload) {
    int n = payload.length();
    return Buffer.buffer().appendByte((byte) (n >>> 16)).appendByte((byte) (n >>> 8)).appendByte((byte) n)
      .appendByte((byte) type).appendByte((byte) flags).appendInt(stream).appendBuffer(payload);
  }

  /** @return the HPACK block of a request */
  static Buffer headerBlock(String method, String path, String... extra) {
    Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http")
      .authority("127.0.0.1");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      headers.add(extra[i], extra[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder().encodeHeaders(0, headers, out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return Buffer.buffer(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      out.release();
    }
  }

  /** Splits what the server sends into frames. */
  static final class Reader {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    private Buffer pending = Buffer.buffer();

    synchronized void feed(Buffer data) {
      pending.appendBuffer(data);
      while (pending.length() >= 9) {
        int n = (pending.getUnsignedByte(0) << 16) | (pending.getUnsignedByte(1) << 8) | pending.getUnsignedByte(2);
        if (pending.length() < 9 + n) {
          return;
        }
        frames.add(new Frame(pending.getUnsignedByte(3), pending.getUnsignedByte(4), pending.getInt(5) & 0x7fffffff,
          pending.getBuffer(9, 9 + n)));
        pending = pending.getBuffer(9 + n, pending.length());
      }
    }

    List<Frame> of(int type) {
      return frames.stream().filter(f -> f.type() == type).toList();
    }
  }
}
