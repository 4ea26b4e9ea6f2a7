package dev.ferrymq.shard;

import dev.ferrymq.Gap;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
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
  private volatile Topic resolved;

  /**
   * @param name the topic's name
   * @param partitioning the partition counts of topics
   * @param plain makes the handle of one ordinary topic (or partition) by name
   */
  public RoutedTopic(String name, Partitioning partitioning, Function<String, Topic> plain) {
    this.name = name;
    this.partitioning = partitioning;
    this.plain = plain;
  }

  @Override
  public String name() {
    return name;
  }

  private Future<Topic> target() {
    Topic t = resolved;
    if (t != null) {
      return Future.succeededFuture(t);
    }
    if (!Names.valid(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    return partitioning.count(name).map(k -> {
      Topic r = k == null || k == 1 ? plain.apply(name) : new PartitionedTopic(name, k, partitioning, plain);
      if (k != null) {
        resolved = r;
      }
      return r;
    });
  }

  @Override
  public Future<PublishResult> publishForResult(Buffer payload, String contentType, Map<String, String> headers) {
    return target().compose(t -> t.publishForResult(payload, contentType, headers));
  }

  @Override
  public Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    return target().compose(t -> t.subscribe(from, handler, gapHandler));
  }

  @Override
  public Future<Subscription> subscribe(List<Position> from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    return target().compose(t -> t.subscribe(from, handler, gapHandler));
  }

  @Override
  public Future<List<TopicMessage>> history(Position from, int limit) {
    return target().compose(t -> t.history(from, limit));
  }

  @Override
  public Future<TopicStats> stats() {
    return target().compose(Topic::stats);
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
    return partitioning.count(name)
      .compose(k -> k == null && want > 1 ? partitioning.fix(name, want) : Future.succeededFuture(k))
      .compose(k -> {
        if (k != null && k != want) {
          return Future.failedFuture(RoutedQueue.conflict("topic", name, k, want));
        }
        Topic t = want == 1 ? plain.apply(name) : new PartitionedTopic(name, want, partitioning, plain);
        return t.configure(options);
      });
  }

  @Override
  public Future<Void> delete() {
    return target().compose(Topic::delete);
  }
}
