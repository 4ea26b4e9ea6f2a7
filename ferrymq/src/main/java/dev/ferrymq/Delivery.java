package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;

/**
 * One message of a queue, leased to one consumer until it is settled ({@link #ack()}, {@link #nack(Duration)},
 * {@link #reject()}) or its visibility timeout passes. An auto-acked delivery ({@link ConsumerOptions#setAutoAck},
 * {@link Queue#receiveAutoAck}) was removed from the queue before it was handed over: it has no lease to settle.
 */
public interface Delivery {

  /** @return the queue the message came from */
  String queue();

  /**
   * @return the id of this lease; settle with it ({@link Queue#ack(String)} and friends); {@code null} for an auto-acked
   * delivery or a peeked dead letter
   */
  String leaseId();

  /** @return the message's id, the same on every delivery */
  String messageId();

  /** @return the payload */
  Buffer payload();

  /** @return the payload's media type, or {@code null} */
  String contentType();

  /** @return application headers */
  Map<String, String> headers();

  /** @return 1 on the first delivery, one more on each redelivery */
  int deliveryCount();

  /** @return when the message was accepted, in epoch milliseconds of the broker's clock */
  long timestamp();

  /**
   * Removes the message from the queue. @return completes once the removal is replicated; at once for an auto-acked
   * delivery, which is gone already
   */
  Future<Void> ack();

  /**
   * Gives the message back for redelivery after {@code delay} (zero: at once). Fails with
   * {@link InvalidRequestException} for an auto-acked delivery, as do {@link #reject()} and {@link #extend}.
   */
  Future<Void> nack(Duration delay);

  /** Moves the message to the dead-letter queue now. */
  Future<Void> reject();

  /** Restarts the lease's visibility timeout with {@code visibility}. */
  Future<Void> extend(Duration visibility);

  /**
   * Answers a message sent with {@link Queue#request}. Fails with {@link InvalidRequestException} when the message
   * expects no reply. The message still has to be acked.
   */
  Future<Void> reply(Buffer payload, String contentType);

  /** @return whether the sender waits for a {@link #reply} */
  boolean expectsReply();
}
