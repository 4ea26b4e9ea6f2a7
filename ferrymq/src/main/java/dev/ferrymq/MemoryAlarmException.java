package dev.ferrymq;

/**
 * The node's memory for queued messages is full: the messages its queues hold passed
 * {@link BrokerOptions#getMemoryHighWatermark() the high watermark}, so it refuses new queue sends until consumers
 * drain some. Consumers, acks and administration keep working; retry later (HTTP: 503 with {@code Retry-After}).
 */
public class MemoryAlarmException extends UnavailableException {

  /** @param message what went wrong */
  public MemoryAlarmException(String message) {
    super("memory-alarm", message);
  }
}
