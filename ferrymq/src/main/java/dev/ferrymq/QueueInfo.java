package dev.ferrymq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A queue as a listing shows it: its stats, its options, and which queues use it as their dead-letter queue.
 *
 * @param stats a snapshot of the queue
 * @param options its settings
 * @param deadLetterQueueOf the queues whose dead-letter queue it is, sorted; empty for an ordinary queue
 */
public record QueueInfo(QueueStats stats, QueueOptions options, List<String> deadLetterQueueOf) {

  /** @param stats the stats @param options the settings @param deadLetterQueueOf queues it takes dead letters of */
  public QueueInfo {
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(options, "options");
    deadLetterQueueOf = List.copyOf(deadLetterQueueOf);
  }

  /** @return whether another queue sends its dead letters here */
  public boolean isDeadLetterQueue() {
    return !deadLetterQueueOf.isEmpty();
  }

  /**
   * @return the JSON form: {@code GET /queues/{q}}'s ({@link QueueStats#toJson()}, {@code depth}, {@code options})
   *     with {@code "kind"}: {@code "queue"} or {@code "dead-letter"}, and for the latter {@code "deadLetterQueueOf"}
   */
  public JsonObject toJson() {
    JsonObject json = stats.toJson().put("depth", stats.depth()).put("options", options.toJson())
      .put("kind", isDeadLetterQueue() ? "dead-letter" : "queue");
    if (isDeadLetterQueue()) {
      json.put("deadLetterQueueOf", new JsonArray(deadLetterQueueOf));
    }
    return json;
  }
}
