package dev.ferrymq.spi;

import java.util.Objects;

/**
 * One message as the store keeps it. Topic messages use only {@code seq} and {@code envelope}.
 *
 * @param seq the message's sequence number in its queue or topic
 * @param envelope the message's binary envelope, stored as is (compared by identity in {@code equals})
 * @param deliveryCount deliveries so far (queues)
 * @param dueAt epoch millis before which it must not be delivered, 0 for now (queues)
 */
public record StoredMessage(long seq, byte[] envelope, int deliveryCount, long dueAt) {

  /** @throws NullPointerException without an envelope */
  public StoredMessage {
    Objects.requireNonNull(envelope, "envelope");
  }

  /** @return a message with no delivery and no delay, the form of topic messages and fresh queue messages */
  public static StoredMessage of(long seq, byte[] envelope) {
    return new StoredMessage(seq, envelope, 0, 0);
  }
}
