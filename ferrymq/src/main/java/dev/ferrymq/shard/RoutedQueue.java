package dev.ferrymq.shard;

import dev.ferrymq.ConflictException;
import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueConsumer;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.QueueStats;
import dev.ferrymq.Reply;
import dev.ferrymq.SendOptions;
import dev.ferrymq.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The queue handle a broker gives out: finds the queue's partition count (once; it is fixed at creation) and hands each
 * operation to the plain queue or to its partitions.
 */
public final class RoutedQueue implements Queue {

  private final String name;
  private final Partitioning partitioning;
  private final Function<String, Queue> plain;
  private volatile Queue resolved;

  /**
   * @param name the queue's name
   * @param partitioning the partition counts of queues
   * @param plain makes the handle of one ordinary queue (or partition) by name
   */
  public RoutedQueue(String name, Partitioning partitioning, Function<String, Queue> plain) {
    this.name = name;
    this.partitioning = partitioning;
    this.plain = plain;
  }

  @Override
  public String name() {
    return name;
  }

  /** @return the plain queue, or its partitions when it has several: known at once, so nothing waits before a send */
  private Queue route() {
    Queue r = resolved;
    if (r == null) {
      int k = partitioning.count(name);
      r = k == 1 ? plain.apply(name) : new PartitionedQueue(name, k, partitioning, plain);
      if (k > 1) {
        resolved = r; // fixed for ever
      }
    }
    return r;
  }

  private Future<Queue> target() {
    return Names.valid(name) ? Future.succeededFuture(route()) : Future.failedFuture(new InvalidNameException(name));
  }

  @Override
  public Future<SendResult> sendForResult(Buffer payload, SendOptions options) {
    return target().compose(q -> q.sendForResult(payload, options));
  }

  @Override
  public Future<Reply> request(Buffer payload, SendOptions options, Duration timeout) {
    return target().compose(q -> q.request(payload, options, timeout));
  }

  @Override
  public Future<QueueConsumer> consumer(ConsumerOptions options, Handler<Delivery> handler) {
    return target().compose(q -> q.consumer(options, handler));
  }

  @Override
  public Future<List<Delivery>> receive(int max, Duration wait, Duration visibility) {
    return target().compose(q -> q.receive(max, wait, visibility));
  }

  @Override
  public Future<List<Delivery>> receiveAutoAck(int max, Duration wait) {
    return target().compose(q -> q.receiveAutoAck(max, wait));
  }

  @Override
  public Future<Void> ack(String leaseId) {
    return target().compose(q -> q.ack(leaseId));
  }

  @Override
  public Future<Void> nack(String leaseId, Duration delay) {
    return target().compose(q -> q.nack(leaseId, delay));
  }

  @Override
  public Future<Void> reject(String leaseId) {
    return target().compose(q -> q.reject(leaseId));
  }

  @Override
  public Future<Void> extend(String leaseId, Duration visibility) {
    return target().compose(q -> q.extend(leaseId, visibility));
  }

  @Override
  public Future<QueueStats> stats() {
    return target().compose(Queue::stats);
  }

  @Override
  public Future<QueueOptions> options() {
    return target().compose(Queue::options);
  }

  /**
   * Creates the queue with its partitions, or changes its options; a partition count other than the queue's is a
   * {@link ConflictException}.
   */
  @Override
  public Future<Void> configure(QueueOptions options) {
    if (options == null) {
      return Future.failedFuture(new InvalidRequestException("options must be given"));
    }
    if (!Names.valid(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    int want = options.getPartitions();
    int k = partitioning.count(name);
    if (k > 1) {
      return k == want ? route().configure(options) : Future.failedFuture(RoutedQueue.conflict("queue", name, k, want));
    }
    // One partition so far: it exists as such (then the count is fixed), or not yet (then this creates it).
    return plain.apply(name).options().map(existing -> 1)
      .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(0) : Future.failedFuture(e))
      .compose(existing -> existing == 1 || want == 1 ? Future.succeededFuture(existing == 1 ? 1 : want)
        : partitioning.fix(name, want))
      .compose(fixed -> fixed != want ? Future.failedFuture(RoutedQueue.conflict("queue", name, fixed, want))
        : (want == 1 ? plain.apply(name) : new PartitionedQueue(name, want, partitioning, plain)).configure(options));
  }

  static ConflictException conflict(String kind, String name, int partitions, int asked) {
    return new ConflictException(kind + " '" + name + "' has " + partitions + " partition" + (partitions == 1 ? "" : "s")
      + ", fixed when it was created (a deleted one keeps its count until the whole cluster restarts); asked for "
      + asked);
  }

  @Override
  public Future<Long> purge() {
    return target().compose(Queue::purge);
  }

  @Override
  public Future<Void> delete() {
    return target().compose(Queue::delete);
  }

  @Override
  public Future<List<Delivery>> peekDeadLetters(int limit) {
    return target().compose(q -> q.peekDeadLetters(limit));
  }

  @Override
  public Future<Long> redrive(int max) {
    return target().compose(q -> q.redrive(max));
  }
}
