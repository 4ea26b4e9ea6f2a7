package dev.ferrymq.broker;

import dev.ferrymq.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns whatever an event-bus responder answered into a {@link Reply} of bytes and a content type. */
final class Replies {

  private Replies() {
  }

  static Reply of(Message<Object> msg) {
    Object body = msg.body();
    Map<String, String> headers = new LinkedHashMap<>();
    msg.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
    String ct = headers.remove("content-type");
    Buffer bytes;
    if (body == null) {
      bytes = Buffer.buffer();
    } else if (body instanceof Buffer b) {
      bytes = b;
    } else if (body instanceof byte[] b) {
      bytes = Buffer.buffer(b);
    } else if (body instanceof JsonObject || body instanceof JsonArray) {
      bytes = Buffer.buffer(body.toString());
      ct = ct == null ? "application/json" : ct;
    } else {
      bytes = Buffer.buffer(body.toString());
      ct = ct == null ? "text/plain; charset=utf-8" : ct;
    }
    return new Reply(bytes, ct, headers);
  }
}
