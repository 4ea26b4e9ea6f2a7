package dev.ferrymq.shard;

import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.Names;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A queue of K partitions: K ordinary queues {@code name~0…} plus the queue {@code name} itself, which holds the
 * options (and so the partition count) and no messages. Sends go to a partition by key, consumers to all of them.
 */
final class PartitionedQueue implements Queue {

  private final String name;
  private final Queue parent;
  private final List<Queue> parts = new ArrayList<>();
  private final Partitioning partitioning;

  PartitionedQueue(String name, int partitions, Partitioning partitioning, Function<String, Queue> plain) {
    this.name = name;
    this.partitioning = partitioning;
    this.parent = plain.apply(name);
    for (int i = 0; i < partitions; i++) {
      parts.add(plain.apply(Names.partition(name, i)));
    }
  }

  @Override
  public String name() {
    return name;
  }

  private Queue part(SendOptions options) {
    return parts.get(Spread.pick(options.getPartitionKey(), name, parts.size(), partitioning));
  }

  @Override
  public Future<SendResult> sendForResult(Buffer payload, SendOptions options) {
    return options == null ? Future.failedFuture(new NullPointerException("options"))
      : part(options).sendForResult(payload, options);
  }

  @Override
  public Future<Reply> request(Buffer payload, SendOptions options, Duration timeout) {
    return part(options == null ? new SendOptions() : options).request(payload, options, timeout);
  }

  @Override
  public Future<QueueConsumer> consumer(ConsumerOptions options, Handler<Delivery> handler) {
    if (options == null || handler == null) {
      return parent.consumer(options, handler); // fails with the plain queue's message
    }
    return PartitionedConsumer.start(name, parts, options, handler);
  }

  @Override
  public Future<List<Delivery>> receive(int max, Duration wait, Duration visibility) {
    return PartitionedReceive.receive(name, parts, max, wait, visibility, false, partitioning.next(name, parts.size()));
  }

  @Override
  public Future<List<Delivery>> receiveAutoAck(int max, Duration wait) {
    return PartitionedReceive.receive(name, parts, max, wait, null, true, partitioning.next(name, parts.size()));
  }

  private <T> Future<T> onLease(String leaseId, java.util.function.BiFunction<Queue, String, Future<T>> op) {
    try {
      return op.apply(parts.get(LeaseIds.partition(name, leaseId, parts.size())), LeaseIds.lease(leaseId));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> ack(String leaseId) {
    return onLease(leaseId, Queue::ack);
  }

  @Override
  public Future<Void> nack(String leaseId, Duration delay) {
    return onLease(leaseId, (q, l) -> q.nack(l, delay));
  }

  @Override
  public Future<Void> reject(String leaseId) {
    return onLease(leaseId, Queue::reject);
  }

  @Override
  public Future<Void> extend(String leaseId, Duration visibility) {
    return onLease(leaseId, (q, l) -> q.extend(l, visibility));
  }

  /** The queue's own stats (it exists; its dead-letter queue) with the sums of its partitions'. */
  @Override
  public Future<QueueStats> stats() {
    return parent.stats().compose(own -> Parts.all(parts, Queue::stats).map(all -> {
      long ready = 0;
      long delayed = 0;
      long inFlight = 0;
      long bytes = 0;
      long sent = 0;
      long paged = 0;
      int consumers = 0;
      for (QueueStats s : all) {
        ready += s.ready();
        delayed += s.delayed();
        inFlight += s.inFlight();
        bytes += s.bytes();
        sent += s.sent();
        paged += s.paged();
        consumers = Math.max(consumers, s.consumers()); // a consumer is on every partition: counted once
      }
      return new QueueStats(name, ready, delayed, inFlight, consumers, own.deadLetters(), own.deadLetterQueue(), bytes,
        sent, paged);
    }));
  }

  @Override
  public Future<QueueOptions> options() {
    return parent.options();
  }

  /** Each partition gets the options with one partition (and so the same dead-letter queue); then the queue itself. */
  @Override
  public Future<Void> configure(QueueOptions options) {
    QueueOptions each = new QueueOptions(options).setPartitions(1);
    List<Future<Void>> all = new ArrayList<>();
    parts.forEach(p -> all.add(p.configure(each)));
    return Future.all(all).compose(v -> parent.configure(options));
  }

  @Override
  public Future<Long> purge() {
    return parent.purge().compose(own -> Parts.all(parts, Queue::purge)
      .map(all -> all.stream().mapToLong(Long::longValue).sum() + own));
  }

  /** The queue first (so it reads as gone at once), then its partitions. */
  @Override
  public Future<Void> delete() {
    return parent.delete().compose(v -> Parts.all(parts, q -> q.delete().map(ignored -> 0L))).mapEmpty();
  }

  @Override
  public Future<List<Delivery>> peekDeadLetters(int limit) {
    return parent.peekDeadLetters(limit);
  }

  /** Each partition in turn takes its share of what is left; the dead-letter queue is the same for all. */
  @Override
  public Future<Long> redrive(int max) {
    return redrive(0, max, 0L);
  }

  private Future<Long> redrive(int i, int left, long moved) {
    if (i == parts.size() || left <= 0) {
      return Future.succeededFuture(moved);
    }
    int share = (left + parts.size() - i - 1) / (parts.size() - i);
    return parts.get(i).redrive(share).compose(n -> n < share ? Future.succeededFuture(moved + n)
      : redrive(i + 1, left - n.intValue(), moved + n));
  }
}
