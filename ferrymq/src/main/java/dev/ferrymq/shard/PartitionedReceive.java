package dev.ferrymq.shard;

import dev.ferrymq.Delivery;
import dev.ferrymq.Durations;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Queue;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A pull over all partitions of a queue: a sweep that takes what is ready from each partition in turn (starting at a
 * different one each time); when it found nothing, a long-poll of one partition for a short slice, then the next sweep,
 * until something arrived or the wait is over. So no message is taken that the caller does not get, and a message in
 * any partition is seen within a slice.
 */
final class PartitionedReceive {

  /** The longest a pull waits on one partition before it looks at the others again. */
  static final Duration SLICE = Duration.ofMillis(50);
  private static final int MAX_RECEIVE = 1000;

  private final String queue;
  private final List<Queue> parts;
  private final int max;
  private final Duration visibility;
  private final boolean autoAck;
  private final long deadline;
  private final List<Delivery> taken = new ArrayList<>();
  private int turn;
  /** A partition failed after others had handed messages over: the caller gets those now. */
  private boolean failed;

  private PartitionedReceive(String queue, List<Queue> parts, int max, Duration wait, Duration visibility,
                             boolean autoAck, int start) {
    this.queue = queue;
    this.parts = parts;
    this.max = max;
    this.visibility = visibility;
    this.autoAck = autoAck;
    this.deadline = System.nanoTime() + wait.toNanos();
    this.turn = start;
  }

  static Future<List<Delivery>> receive(String queue, List<Queue> parts, int max, Duration wait, Duration visibility,
                                        boolean autoAck, int start) {
    try {
      if (max < 1 || max > MAX_RECEIVE) {
        throw new InvalidRequestException("max must be between 1 and " + MAX_RECEIVE + ", was " + max);
      }
      Duration w = Durations.check(wait == null ? Duration.ZERO : wait, Duration.ZERO, Duration.ofMinutes(5), "wait");
      return new PartitionedReceive(queue, parts, max, w, visibility, autoAck, start).sweep(0);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<List<Delivery>> sweep(int done) {
    if (done == parts.size() || taken.size() == max || failed) {
      return taken.isEmpty() ? park() : Future.succeededFuture(taken);
    }
    int p = (turn + done) % parts.size();
    return pull(p, Duration.ZERO).recover(this::keepTaken).compose(v -> sweep(done + 1));
  }

  private Future<List<Delivery>> park() {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return Future.succeededFuture(taken);
    }
    int p = turn++ % parts.size();
    return pull(p, Duration.ofNanos(Math.min(left, SLICE.toNanos())))
      .compose(v -> taken.isEmpty() ? sweep(0) : Future.succeededFuture(taken));
  }

  /**
   * A partition that fails after others handed messages over must not lose them (auto-acked ones are already gone
   * from their partitions): the caller gets what was taken; with nothing taken it gets the failure.
   */
  private Future<Void> keepTaken(Throwable failure) {
    if (taken.isEmpty()) {
      return Future.failedFuture(failure);
    }
    failed = true;
    return Future.succeededFuture();
  }

  private Future<Void> pull(int p, Duration wait) {
    Queue part = parts.get(p);
    Future<List<Delivery>> got = autoAck ? part.receiveAutoAck(max - taken.size(), wait)
      : part.receive(max - taken.size(), wait, visibility);
    return got.map(list -> {
      list.forEach(d -> taken.add(new PartitionedDelivery(queue, p, d)));
      return null;
    });
  }
}
