package dev.ferrymq.http;

import dev.ferrymq.Delivery;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/** JSON in and out: request bodies, the delivery form, and 200/201 answers. */
final class Json {

  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

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

  /** @return the request body as a JSON array of 1 to {@code max} {@code what}; else a 400 that says so */
  static JsonArray array(RoutingContext ctx, String what, int max) {
    JsonArray array;
    try {
      array = new JsonArray(BodyReader.body(ctx));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("the body must be a JSON array of " + what);
    }
    if (array.isEmpty() || array.size() > max) {
      throw new InvalidRequestException("the body must hold 1 to " + max + " " + what + ", had " + array.size());
    }
    return array;
  }

  /** @return the delivery form {@code {"leaseId","messageId","deliveryCount","contentType","data"}} and more */
  static JsonObject delivery(Delivery d) {
    JsonObject json = new JsonObject().put("leaseId", d.leaseId()).put("messageId", d.messageId())
      .put("deliveryCount", d.deliveryCount()).put("contentType", d.contentType()).put("timestamp", d.timestamp())
      .put("headers", new JsonObject(Map.copyOf(d.headers())));
    return Payloads.putPayload(json, d.payload());
  }

  /**
   * @return the SSE event of a delivery: {@code id: <leaseId>} (none when auto-acked), {@code event: delivery}, data =
   *     {@link #delivery}
   */
  static Buffer deliveryEvent(Delivery d) {
    Buffer out = Buffer.buffer(d.payload().length() + 320);
    if (d.leaseId() != null) { // an auto-acked delivery has no lease, so nothing to resume or settle by
      out.appendString("id: ").appendString(d.leaseId()).appendString("\n");
    }
    out.appendString("event: delivery\ndata: ");
    return delivery(out, d).appendString("\n\n");
  }

  /** Appends {@link #delivery}'s JSON, written straight into {@code out} (no {@code JsonObject}, no Jackson). */
  private static Buffer delivery(Buffer out, Delivery d) {
    out.appendString("{\"leaseId\":");
    JsonBytes.string(out, d.leaseId()).appendString(",\"messageId\":");
    JsonBytes.string(out, d.messageId()).appendString(",\"deliveryCount\":").appendString(
      Integer.toString(d.deliveryCount())).appendString(",\"contentType\":");
    JsonBytes.string(out, d.contentType()).appendString(",\"timestamp\":").appendString(Long.toString(d.timestamp()))
      .appendString(",\"headers\":{");
    boolean first = true;
    for (Map.Entry<String, String> h : d.headers().entrySet()) {
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      JsonBytes.string(out, h.getKey()).appendByte((byte) ':');
      JsonBytes.string(out, h.getValue());
    }
    out.appendString("},");
    return JsonBytes.payload(out, d.payload()).appendByte((byte) '}');
  }

  /** @return the JSON array of {@link #delivery} objects, written straight into one buffer */
  static Buffer deliveries(List<Delivery> list) {
    int size = 2;
    for (Delivery d : list) {
      size += d.payload().length() + 320;
    }
    Buffer out = Buffer.buffer(size).appendByte((byte) '[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      delivery(out, list.get(i));
    }
    return out.appendByte((byte) ']');
  }

  static void send(RoutingContext ctx, int status, Object json) {
    send(ctx, status, json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer());
  }

  /** Answers with JSON already encoded (see {@link JsonBytes}). */
  static void send(RoutingContext ctx, int status, Buffer json) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(json);
  }
}
