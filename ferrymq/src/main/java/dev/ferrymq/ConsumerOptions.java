package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Settings of a push consumer of a queue. JSON form: {@code {"prefetch":100,"visibilityTimeout":"30s","autoAck":false}}.
 */
public class ConsumerOptions {

  /** At most 100 unacked deliveries per consumer. */
  public static final int DEFAULT_PREFETCH = 100;
  /** The largest prefetch window accepted. */
  public static final int MAX_PREFETCH = 10_000;

  private int prefetch = DEFAULT_PREFETCH;
  private Duration visibilityTimeout;
  private boolean autoAck;

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
    if (json.containsKey("autoAck")) {
      Object v = json.getValue("autoAck");
      if (!(v instanceof Boolean b)) {
        throw new InvalidRequestException("autoAck must be true or false, was " + v);
      }
      setAutoAck(b);
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("prefetch", prefetch).put("autoAck", autoAck);
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

  /** @return whether deliveries are removed from the queue as they are handed to this consumer */
  public boolean isAutoAck() {
    return autoAck;
  }

  /**
   * At-most-once consumption, as RabbitMQ's {@code autoAck} or a NATS core subscription: each message is removed
   * from the queue (the removal replicated, and committed in {@code sync} mode) before it is handed to this consumer,
   * so it is never redelivered — if the consumer fails while handling it, it is lost. There is no lease:
   * {@link Delivery#ack()} succeeds and does nothing, {@link Delivery#nack}, {@link Delivery#reject()} and
   * {@link Delivery#extend} fail with {@link InvalidRequestException}, and {@link Delivery#leaseId()} is {@code null}.
   * The prefetch window still bounds the deliveries on their way to the handler: the consumer returns credit as its
   * handler takes them. Default {@code false} (at-least-once: each delivery is leased until it is acked).
   *
   * @param autoAck whether to consume at-most-once
   * @return this
   */
  public ConsumerOptions setAutoAck(boolean autoAck) {
    this.autoAck = autoAck;
    return this;
  }
}
