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
  private final boolean valid;
  private volatile Queue resolved;
  /** The plain handle while the queue has one partition. */
  private volatile Queue single;

  /**
   * @param name the queue's name
   * @param partitioning the partition counts of queues
   * @param plain makes the handle of one ordinary queue (or partition) by name
   */
  public RoutedQueue(String name, Partitioning partitioning, Function<String, Queue> plain) {
    this.name = name;
    this.partitioning = partitioning;
    this.plain = plain;
    this.valid = Names.valid(name);
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
      if (k > 1) {
        r = resolved = new PartitionedQueue(name, k, partitioning, plain); // fixed for ever
      } else {
        r = single;
        if (r == null) {
          r = single = plain.apply(name); // a handle is stateless: one serves every call
        }
      }
    }
    return r;
  }

  /** Runs {@code op} on the plain queue or its partitions; a bad name or a throw is a failed future. */
  private <T> Future<T> on(Function<Queue, Future<T>> op) {
    if (!valid) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    try {
      return op.apply(route());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<SendResult> sendForResult(Buffer payload, SendOptions options) {
    return on(q -> q.sendForResult(payload, options));
  }

  @Override
  public Future<Reply> request(Buffer payload, SendOptions options, Duration timeout) {
    return on(q -> q.request(payload, options, timeout));
  }

  @Override
  public Future<QueueConsumer> consumer(ConsumerOptions options, Handler<Delivery> handler) {
    return on(q -> q.consumer(options, handler));
  }

  @Override
  public Future<List<Delivery>> receive(int max, Duration wait, Duration visibility) {
    return on(q -> q.receive(max, wait, visibility));
  }

  @Override
  public Future<List<Delivery>> receiveAutoAck(int max, Duration wait) {
    return on(q -> q.receiveAutoAck(max, wait));
  }

  @Override
  public Future<Void> ack(String leaseId) {
    return on(q -> q.ack(leaseId));
  }

  @Override
  public Future<Void> nack(String leaseId, Duration delay) {
    return on(q -> q.nack(leaseId, delay));
  }

  @Override
  public Future<Void> reject(String leaseId) {
    return on(q -> q.reject(leaseId));
  }

  @Override
  public Future<Void> extend(String leaseId, Duration visibility) {
    return on(q -> q.extend(leaseId, visibility));
  }

  @Override
  public Future<QueueStats> stats() {
    return on(Queue::stats);
  }

  @Override
  public Future<QueueOptions> options() {
    return on(Queue::options);
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
    return on(Queue::purge);
  }

  @Override
  public Future<Void> delete() {
    return on(Queue::delete);
  }

  @Override
  public Future<List<Delivery>> peekDeadLetters(int limit) {
    return on(q -> q.peekDeadLetters(limit));
  }

  @Override
  public Future<Long> redrive(int max) {
    return on(q -> q.redrive(max));
  }
}
