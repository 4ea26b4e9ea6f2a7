package dev.ferrymq.queue;

import dev.ferrymq.Delivery;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.Map;

/**
 * A delivery as a consumer sees it; settling goes back to the queue's owner by lease id. An auto-acked one has no
 * lease: ack is a no-op, the other settlements fail.
 */
final class DeliveryImpl implements Delivery {

  private final QueueImpl queue;
  private final String leaseId;
  private final int deliveryCount;
  private final Envelope envelope;
  private final boolean autoAcked;

  DeliveryImpl(QueueImpl queue, String leaseId, int deliveryCount, Envelope envelope, boolean autoAcked) {
    this.queue = queue;
    this.leaseId = leaseId;
    this.deliveryCount = deliveryCount;
    this.envelope = envelope;
    this.autoAcked = autoAcked;
  }

  @Override
  public String queue() {
    return queue.name();
  }

  @Override
  public String leaseId() {
    return leaseId;
  }

  @Override
  public String messageId() {
    return envelope.id();
  }

  @Override
  public Buffer payload() {
    return envelope.payload();
  }

  @Override
  public String contentType() {
    return envelope.contentType();
  }

  @Override
  public Map<String, String> headers() {
    return envelope.headers();
  }

  @Override
  public int deliveryCount() {
    return deliveryCount;
  }

  @Override
  public long timestamp() {
    return envelope.timestamp();
  }

  @Override
  public Future<Void> ack() {
    return autoAcked ? Future.succeededFuture() : queue.ack(leaseId);
  }

  @Override
  public Future<Void> nack(Duration delay) {
    return autoAcked ? noLease("nacked") : queue.nack(leaseId, delay);
  }

  @Override
  public Future<Void> reject() {
    return autoAcked ? noLease("rejected") : queue.reject(leaseId);
  }

  @Override
  public Future<Void> extend(Duration visibility) {
    return autoAcked ? noLease("extended") : queue.extend(leaseId, visibility);
  }

  private Future<Void> noLease(String what) {
    return Future.failedFuture(new InvalidRequestException("message " + envelope.id() + " was auto-acked: it left the "
      + "queue when it was delivered and cannot be " + what));
  }

  @Override
  public boolean expectsReply() {
    return envelope.replyTo() != null;
  }

  @Override
  public Future<Void> reply(Buffer payload, String contentType) {
    if (envelope.replyTo() == null) {
      return Future.failedFuture(new InvalidRequestException("message " + envelope.id() + " expects no reply"));
    }
    if (payload == null) {
      return Future.failedFuture(new InvalidRequestException("payload must not be null"));
    }
    DeliveryOptions options = new DeliveryOptions();
    if (contentType != null) {
      options.addHeader("content-type", contentType);
    }
    int bar = envelope.replyTo().indexOf('|');
    queue.node().sendTo(envelope.replyTo().substring(0, bar), envelope.replyTo().substring(bar + 1), payload, options);
    return Future.succeededFuture();
  }

  @Override
  public String toString() {
    return "Delivery[" + queue.name() + " " + (autoAcked ? "auto-acked" : leaseId) + " " + envelope.id() + " x"
      + deliveryCount + "]";
  }
}
