package dev.ferrymq.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

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

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    long n = -1;
    if (length != null) {
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
    // A longer body goes into one buffer of its announced length: growing by doubling would allocate about twice the
    // body again, in arrays large enough to be the garbage collector's costliest kind.
    int expected = (int) n;
    Buffer[] body = {null};
    boolean[] failed = {false};
    boolean[] owned = {false};
    request.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      int read = body[0] == null ? 0 : body[0].length();
      if (read + chunk.length() > limit) {
        failed[0] = true;
        request.pause();
        ctx.fail(413);
        return;
      }
      if (body[0] == null) {
        body[0] = chunk;
        return;
      }
      if (!owned[0]) {
        int size = expected >= read + chunk.length() ? expected : Math.max(2 * read, read + chunk.length());
        body[0] = Buffer.buffer(size).appendBuffer(body[0]);
        owned[0] = true;
      }
      body[0].appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(400, new IllegalArgumentException("the request body could not be read"));
      }
    });
    request.endHandler(v -> {
      if (!failed[0]) {
        ctx.put(KEY, body[0] == null ? Buffer.buffer() : body[0]);
        ctx.next();
      }
    });
  }
}
