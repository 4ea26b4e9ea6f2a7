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
 * @param partition the partition it came from when the topic is partitioned ({@code seq} counts within it), else -1
 */
public record TopicMessage(String topic, long seq, String id, long timestamp, String contentType,
                           Map<String, String> headers, Buffer payload, int partition) {

  /** A message of a topic that is not partitioned. */
  public TopicMessage(String topic, long seq, String id, long timestamp, String contentType,
                      Map<String, String> headers, Buffer payload) {
    this(topic, seq, id, timestamp, contentType, headers, payload, -1);
  }

  /** @param topic the partitioned topic @param partition its partition @return this message as one of them */
  public TopicMessage inPartition(String topic, int partition) {
    return new TopicMessage(topic, seq, id, timestamp, contentType, headers, payload, partition);
  }

  /**
   * @return the JSON form; the payload as UTF-8 text, or base64 with {@code "encoding":"base64"} when not text; with
   *     {@code "partition"} when the topic is partitioned
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("topic", topic).put("seq", seq).put("id", id).put("timestamp", timestamp)
      .put("contentType", contentType).put("headers", new JsonObject(Map.copyOf(headers)));
    if (partition >= 0) {
      json.put("partition", partition);
    }
    return Payloads.putPayload(json, payload);
  }
}
