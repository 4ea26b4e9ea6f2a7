package dev.ferrymq.http;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3.1 description of the gateway, a resource next to this class (a test keeps it equal to the router). */
final class OpenApi {

  static final String RESOURCE = "openapi.json";
  private static volatile Buffer cached;

  Buffer json() {
    Buffer b = cached;
    if (b == null) {
      try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        b = Buffer.buffer(in.readAllBytes());
        cached = b;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b;
  }
}
