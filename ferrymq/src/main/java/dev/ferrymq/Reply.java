package dev.ferrymq;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * The answer to a request.
 *
 * @param body the reply's bytes
 * @param contentType its media type, or {@code null}
 * @param headers headers the responder set
 */
public record Reply(Buffer body, String contentType, Map<String, String> headers) {
}
