package dev.ferrymq;

import dev.ferrymq.broker.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Settings of a push consumer of a queue. JSON form: {@code {"prefetch":100,"visibilityTimeout":"30s"}}. */
public class ConsumerOptions {

  /** At most 100 unacked deliveries per consumer. */
  public static final int DEFAULT_PREFETCH = 100;
  /** The largest prefetch window accepted. */
  public static final int MAX_PREFETCH = 10_000;

  private int prefetch = DEFAULT_PREFETCH;
  private Duration visibilityTimeout;

  /** Defaults: prefetch 100, the queue's visibility timeout. */
  public ConsumerOptions() {
  }

  /** @param json the JSON form */
  public ConsumerOptions(JsonObject json) {
    if (json.containsKey("prefetch")) {
      setPrefetch(json.getInteger("prefetch"));
    }
    if (json.containsKey("visibilityTimeout")) {
      setVisibilityTimeout(Durations.parse(json.getValue("visibilityTimeout"), "visibilityTimeout"));
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("prefetch", prefetch);
    if (visibilityTimeout != null) {
      json.put("visibilityTimeout", Durations.format(visibilityTimeout));
    }
    return json;
  }

  /** @return the most unacked deliveries this consumer holds at once */
  public int getPrefetch() {
    return prefetch;
  }

  /** @param prefetch 1 to {@link #MAX_PREFETCH} @return this */
  public ConsumerOptions setPrefetch(int prefetch) {
    if (prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new InvalidRequestException("prefetch must be between 1 and " + MAX_PREFETCH + ", was " + prefetch);
    }
    this.prefetch = prefetch;
    return this;
  }

  /** @return the lease length of this consumer's deliveries, or {@code null} for the queue's */
  public Duration getVisibilityTimeout() {
    return visibilityTimeout;
  }

  /** @param visibilityTimeout 1 ms to 12 h, or {@code null} for the queue's @return this */
  public ConsumerOptions setVisibilityTimeout(Duration visibilityTimeout) {
    this.visibilityTimeout = visibilityTimeout == null ? null
      : Durations.check(visibilityTimeout, Duration.ofMillis(1), QueueOptions.MAX_VISIBILITY_TIMEOUT, "visibilityTimeout");
    return this;
  }
}
