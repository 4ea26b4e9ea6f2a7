package dev.ferrymq.http;

import dev.ferrymq.Delivery;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.broker.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/** JSON in and out: request bodies, the delivery form, and 200/201 answers. */
final class Json {

  private Json() {
  }

  /** @return the request body as a JSON object; an empty body is {@code {}} */
  static JsonObject object(RoutingContext ctx) {
    Buffer body = BodyReader.body(ctx);
    if (body.length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException | IllegalStateException e) {
      throw new InvalidRequestException("malformed JSON body: expected a JSON object");
    }
  }

  /** @return the delivery form {@code {"leaseId","messageId","deliveryCount","contentType","data"}} and more */
  static JsonObject delivery(Delivery d) {
    JsonObject json = new JsonObject().put("leaseId", d.leaseId()).put("messageId", d.messageId())
      .put("deliveryCount", d.deliveryCount()).put("contentType", d.contentType()).put("timestamp", d.timestamp())
      .put("headers", new JsonObject(Map.copyOf(d.headers())));
    return Payloads.putPayload(json, d.payload());
  }

  static JsonArray deliveries(List<Delivery> list) {
    JsonArray out = new JsonArray();
    list.forEach(d -> out.add(delivery(d)));
    return out;
  }

  static void send(RoutingContext ctx, int status, Object json) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer());
  }
}
