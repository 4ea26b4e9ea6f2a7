package dev.ferrymq.shard;

import dev.ferrymq.Delivery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;

/** A delivery of one partition shown as the partitioned queue's: its name, and a lease id that names the partition. */
record PartitionedDelivery(String queue, int partition, Delivery delivery) implements Delivery {

  @Override
  public String leaseId() {
    return LeaseIds.encode(partition, delivery.leaseId());
  }

  @Override
  public String messageId() {
    return delivery.messageId();
  }

  @Override
  public Buffer payload() {
    return delivery.payload();
  }

  @Override
  public String contentType() {
    return delivery.contentType();
  }

  @Override
  public Map<String, String> headers() {
    return delivery.headers();
  }

  @Override
  public int deliveryCount() {
    return delivery.deliveryCount();
  }

  @Override
  public long timestamp() {
    return delivery.timestamp();
  }

  @Override
  public Future<Void> ack() {
    return delivery.ack();
  }

  @Override
  public Future<Void> nack(Duration delay) {
    return delivery.nack(delay);
  }

  @Override
  public Future<Void> reject() {
    return delivery.reject();
  }

  @Override
  public Future<Void> extend(Duration visibility) {
    return delivery.extend(visibility);
  }

  @Override
  public Future<Void> reply(Buffer payload, String contentType) {
    return delivery.reply(payload, contentType);
  }

  @Override
  public boolean expectsReply() {
    return delivery.expectsReply();
  }
}
