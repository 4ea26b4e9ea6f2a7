package dev.ferrymq.shard;

import dev.ferrymq.Gap;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Position;
import dev.ferrymq.PublishResult;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The topic handle a broker gives out: finds the topic's partition count (once; it is fixed at creation) and hands each
 * operation to the plain topic or to its partitions.
 */
public final class RoutedTopic implements Topic {

  private final String name;
  private final Partitioning partitioning;
  private final Function<String, Topic> plain;
  private final boolean valid;
  private volatile Topic resolved;
  /** The plain handle while the topic has one partition. */
  private volatile Topic single;

  /**
   * @param name the topic's name
   * @param partitioning the partition counts of topics
   * @param plain makes the handle of one ordinary topic (or partition) by name
   */
  public RoutedTopic(String name, Partitioning partitioning, Function<String, Topic> plain) {
    this.name = name;
    this.partitioning = partitioning;
    this.plain = plain;
    this.valid = Names.valid(name);
  }

  @Override
  public String name() {
    return name;
  }

  /** @return the plain topic, or its partitions when it has several: known at once, so nothing waits before a send */
  private Topic route() {
    Topic r = resolved;
    if (r == null) {
      int k = partitioning.count(name);
      if (k > 1) {
        r = resolved = new PartitionedTopic(name, k, partitioning, plain); // fixed for ever
      } else {
        r = single;
        if (r == null) {
          r = single = plain.apply(name); // a handle is stateless: one serves every call
        }
      }
    }
    return r;
  }

  /** Runs {@code op} on the plain topic or its partitions; a bad name or a throw is a failed future. */
  private <T> Future<T> on(Function<Topic, Future<T>> op) {
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
  public Future<PublishResult> publishForResult(Buffer payload, String contentType, Map<String, String> headers) {
    return on(t -> t.publishForResult(payload, contentType, headers));
  }

  @Override
  public Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    return on(t -> t.subscribe(from, handler, gapHandler));
  }

  @Override
  public Future<Subscription> subscribe(List<Position> from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    return on(t -> t.subscribe(from, handler, gapHandler));
  }

  @Override
  public Future<List<TopicMessage>> history(Position from, int limit) {
    return on(t -> t.history(from, limit));
  }

  @Override
  public Future<TopicStats> stats() {
    return on(Topic::stats);
  }

  /**
   * Creates the topic with its partitions, or sets its options; a partition count other than the topic's is a
   * {@link dev.ferrymq.ConflictException}.
   */
  @Override
  public Future<Void> configure(TopicOptions options) {
    if (options == null) {
      return Future.failedFuture(new InvalidRequestException("options must be given"));
    }
    if (!Names.valid(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    int want = options.getPartitions();
    int k = partitioning.count(name);
    if (k > 1) {
      return k == want ? route().configure(options) : Future.failedFuture(RoutedQueue.conflict("topic", name, k, want));
    }
    // One partition so far: it exists as such (then the count is fixed), or not yet (then this creates it).
    return plain.apply(name).stats().map(existing -> 1)
      .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(0) : Future.failedFuture(e))
      .compose(existing -> existing == 1 || want == 1 ? Future.succeededFuture(existing == 1 ? 1 : want)
        : partitioning.fix(name, want))
      .compose(fixed -> fixed != want ? Future.failedFuture(RoutedQueue.conflict("topic", name, fixed, want))
        : (want == 1 ? plain.apply(name) : new PartitionedTopic(name, want, partitioning, plain)).configure(options));
  }

  @Override
  public Future<Void> delete() {
    return on(Topic::delete);
  }
}
