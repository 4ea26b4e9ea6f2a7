package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A point-to-point queue: each message goes to one of the competing consumers, stays until it is acked, comes
 * back after its visibility timeout, and goes to the dead-letter queue after {@code maxDeliveries}. Obtained with
 * {@link Broker#queue(String)}; created with default options by the first send or consumer, or by
 * {@link #configure}. Reads and administration ({@link #stats}, {@link #options}, {@link #purge}, {@link #delete},
 * dead letters) never create it: on a queue that does not exist they fail with {@link NotFoundException}.
 */
public interface Queue {

  /** @return the queue's name */
  String name();

  /**
   * Sends a message. The future succeeds with the message id once the message is held by the queue's owner and its
   * backups (and, with {@link Durability#SYNC}, committed to the store): from then on it can be delivered.
   */
  default Future<String> send(Buffer payload) {
    return send(payload, new SendOptions());
  }

  /** Sends a message with headers. */
  default Future<String> send(Buffer payload, Map<String, String> headers) {
    return send(payload, new SendOptions().putHeaders(headers));
  }

  /**
   * Sends a message with content type, headers, an idempotency key or a delay. A resend with the same idempotency
   * key within the window succeeds with the first message's id and adds nothing.
   */
  default Future<String> send(Buffer payload, SendOptions options) {
    return sendForResult(payload, options).map(SendResult::id);
  }

  /**
   * Sends like {@link #send(Buffer, SendOptions)} and also tells whether the send was a duplicate of an idempotency key
   * seen within the window (HTTP answers those with 200 instead of 201).
   */
  Future<SendResult> sendForResult(Buffer payload, SendOptions options);

  /**
   * Sends a message that a consumer answers with {@link Delivery#reply}; fails with
   * {@link RequestTimeoutException} when no reply arrives within {@code timeout}.
   */
  Future<Reply> request(Buffer payload, SendOptions options, Duration timeout);

  /**
   * Registers a push consumer: deliveries arrive on {@code handler}, never more than {@code prefetch} unsettled.
   * The future succeeds once the consumer is registered with the queue's owner.
   */
  Future<QueueConsumer> consumer(ConsumerOptions options, Handler<Delivery> handler);

  /**
   * Pulls up to {@code max} messages, waiting up to {@code wait} for the first; succeeds with an empty list when
   * nothing arrived.
   */
  Future<List<Delivery>> receive(int max, Duration wait, Duration visibility);

  /**
   * Pulls like {@link #receive(int, Duration, Duration)}, but at-most-once (see {@link ConsumerOptions#setAutoAck}):
   * the messages are removed from the queue before the future succeeds, carry no lease and are never redelivered.
   */
  Future<List<Delivery>> receiveAutoAck(int max, Duration wait);

  /** Acks a lease by id. Fails with {@link LeaseNotFoundException} or {@link LeaseExpiredException}. */
  Future<Void> ack(String leaseId);

  /** Releases a lease by id for redelivery after {@code delay}. */
  Future<Void> nack(String leaseId, Duration delay);

  /** Moves a leased message to the dead-letter queue. */
  Future<Void> reject(String leaseId);

  /** Restarts a lease's visibility timeout. */
  Future<Void> extend(String leaseId, Duration visibility);

  /** @return a snapshot of the queue; fails with {@link NotFoundException} when it does not exist */
  Future<QueueStats> stats();

  /** @return the queue's settings; fails with {@link NotFoundException} when it does not exist */
  Future<QueueOptions> options();

  /** Changes the queue's settings, creating the queue if need be; they apply to later deliveries. */
  Future<Void> configure(QueueOptions options);

  /** Removes every ready and delayed message (leased ones stay). @return how many were removed */
  Future<Long> purge();

  /**
   * Deletes the queue and its messages; its consumers are closed. Fails with {@link NotFoundException} when it does
   * not exist.
   */
  Future<Void> delete();

  /**
   * @return up to {@code limit} messages from the dead-letter queue, oldest first, without leasing them; empty when the
   * queue has none (or it was not created yet)
   */
  Future<List<Delivery>> peekDeadLetters(int limit);

  /** Moves up to {@code max} messages from the dead-letter queue back to this queue. @return how many moved */
  Future<Long> redrive(int max);
}
