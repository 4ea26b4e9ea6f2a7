package dev.ferrymq;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a topic.
 *
 * @param topic the topic's name
 * @param lastSeq the sequence number of the latest message, 0 when none was published
 * @param oldestSeq the oldest sequence number still in history, {@code lastSeq + 1} when history is empty
 * @param options the topic's settings
 */
public record TopicStats(String topic, long lastSeq, long oldestSeq, TopicOptions options) {

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("topic", topic).put("lastSeq", lastSeq).put("oldestSeq", oldestSeq)
      .put("options", options.toJson());
  }
}
