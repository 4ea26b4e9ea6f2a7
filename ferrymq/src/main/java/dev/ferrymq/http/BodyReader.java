package dev.ferrymq.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the raw request body, whatever its content type (no form decoding, unlike vertx-web's BodyHandler), up to a
 * limit: a larger {@code Content-Length} is refused with 413 before any byte is read, a chunked body as soon as it
 * passes the limit. The bytes are left in the context under {@link #KEY}.
 */
final class BodyReader implements Handler<RoutingContext> {

  static final String KEY = "ferrymq.body";

  private final int limit;

  BodyReader(int limit) {
    this.limit = limit;
  }

  static Buffer body(RoutingContext ctx) {
    Buffer b = ctx.get(KEY);
    return b == null ? Buffer.buffer() : b;
  }

  private static Buffer join(List<Buffer> chunks, int length) {
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    Buffer body = Buffer.buffer(length);
    chunks.forEach(body::appendBuffer);
    return body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        ctx.fail(400, new IllegalArgumentException("malformed Content-Length"));
        return;
      }
      if (n > limit) {
        ctx.fail(413);
        return;
      }
    }
    if (request.isEnded()) {
      ctx.put(KEY, Buffer.buffer());
      ctx.next();
      return;
    }
    // One chunk is the usual whole body: kept as it is (Vert.x hands each handler its own heap copy), no second copy.
    // Several are joined once, at the end, into one buffer of their total length: growing a buffer by doubling would
    // allocate about twice the body again, in arrays large enough to be the garbage collector's costliest kind, and
    // sizing it from Content-Length up front would let a client that sends two bytes make the node hold the limit.
    List<Buffer> chunks = new ArrayList<>(2);
    int[] read = {0};
    boolean[] failed = {false};
    request.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      if (read[0] + chunk.length() > limit) {
        failed[0] = true;
        chunks.clear();
        request.pause();
        ctx.fail(413);
        return;
      }
      read[0] += chunk.length();
      chunks.add(chunk);
    });
    request.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(400, new IllegalArgumentException("the request body could not be read"));
      }
    });
    request.endHandler(v -> {
      if (!failed[0]) {
        ctx.put(KEY, join(chunks, read[0]));
        ctx.next();
      }
    });
  }
}
