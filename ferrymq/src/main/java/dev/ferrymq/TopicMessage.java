package dev.ferrymq;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A message of a topic.
 *
 * @param topic the topic
 * @param seq its sequence number: 1 for the topic's first message, one more for each next
 * @param id its unique id
 * @param timestamp when it was published, epoch milliseconds
 * @param contentType the payload's media type, or {@code null}
 * @param headers application headers
 * @param payload the payload
 */
public record TopicMessage(String topic, long seq, String id, long timestamp, String contentType,
                           Map<String, String> headers, Buffer payload) {

  /** @return the JSON form; the payload as UTF-8 text, or base64 with {@code "encoding":"base64"} when not text */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("topic", topic).put("seq", seq).put("id", id).put("timestamp", timestamp)
      .put("contentType", contentType).put("headers", new JsonObject(Map.copyOf(headers)));
    return Payloads.putPayload(json, payload);
  }
}
