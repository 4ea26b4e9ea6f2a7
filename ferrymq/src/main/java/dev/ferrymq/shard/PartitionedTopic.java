package dev.ferrymq.shard;

import dev.ferrymq.Gap;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Position;
import dev.ferrymq.PublishResult;
import dev.ferrymq.SendOptions;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A topic of K partitions: K ordinary topics {@code name~0…}, each with its own history and sequence numbers, plus
 * the topic {@code name} itself, which holds the options and no messages. Order holds within a partition (so per key).
 */
final class PartitionedTopic implements Topic {

  private final String name;
  private final Topic parent;
  private final List<Topic> parts = new ArrayList<>();
  private final Partitioning partitioning;

  PartitionedTopic(String name, int partitions, Partitioning partitioning, Function<String, Topic> plain) {
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

  @Override
  public Future<PublishResult> publishForResult(Buffer payload, String contentType, Map<String, String> headers) {
    int p = Spread.pick(headers == null ? null : headers.get(SendOptions.PARTITION_KEY_HEADER), name, parts.size(),
      partitioning);
    return parts.get(p).publishForResult(payload, contentType, headers).map(r -> new PublishResult(r.seq(), r.id(), p));
  }

  /** {@link Position#EARLIEST} and {@link Position#LATEST} apply to every partition; a sequence number to none. */
  @Override
  public Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    if (from == null || (!from.isLatest() && from.after() != 0)) {
      return Future.failedFuture(positionPerPartition());
    }
    return subscribe(Collections.nCopies(parts.size(), from), handler, gapHandler);
  }

  private InvalidRequestException positionPerPartition() {
    return new InvalidRequestException("topic '" + name + "' has " + parts.size() + " partitions, each numbered on its"
      + " own: resume with a position per partition (over SSE a Last-Event-ID like 0:12,1:7), or start at earliest"
      + " or latest");
  }

  @Override
  public Future<Subscription> subscribe(List<Position> from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    if (from == null || from.size() != parts.size()) {
      return Future.failedFuture(new InvalidRequestException("topic '" + name + "' has " + parts.size()
        + " partitions: give a position for each, not " + (from == null ? 0 : from.size())));
    }
    List<Future<Long>> starts = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Position p = from.get(i);
      starts.add(p.isLatest() ? parts.get(i).stats().map(TopicStats::lastSeq)
        .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(0L) : Future.failedFuture(e))
        : Future.succeededFuture(p.after()));
    }
    return Future.all(starts).compose(all -> PartitionedSubscription.start(name, parts, all.list(), handler,
      gapHandler));
  }

  /** History from the start of every partition, merged by publish time: a view, not a resumable position. */
  @Override
  public Future<List<TopicMessage>> history(Position from, int limit) {
    if (from == null || (!from.isLatest() && from.after() != 0)) {
      return Future.failedFuture(positionPerPartition());
    }
    return parent.stats().compose(own -> {
      List<Future<List<TopicMessage>>> reads = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        int p = i;
        reads.add(parts.get(i).history(from, limit).map(list -> list.stream().map(m -> m.inPartition(name, p)).toList())
          .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(List.of()) : Future.failedFuture(e)));
      }
      return Future.all(reads).map(all -> {
        List<TopicMessage> merged = new ArrayList<>();
        reads.forEach(f -> merged.addAll(f.result()));
        merged.sort(Comparator.comparingLong(TopicMessage::timestamp).thenComparingInt(TopicMessage::partition)
          .thenComparingLong(TopicMessage::seq));
        return merged.subList(0, Math.min(limit, merged.size()));
      });
    });
  }

  /** The topic's options with its partitions' counts summed: {@code lastSeq} is how many were published in all. */
  @Override
  public Future<TopicStats> stats() {
    return parent.stats().compose(own -> Parts.all(parts, Topic::stats).map(all -> {
      long last = 0;
      long gone = 0;
      for (TopicStats s : all) {
        last += s.lastSeq();
        gone += s.oldestSeq() - 1;
      }
      return new TopicStats(name, last, gone + 1, own.options());
    }));
  }

  @Override
  public Future<Void> configure(TopicOptions options) {
    TopicOptions each = new TopicOptions(options).setPartitions(1);
    List<Future<Void>> all = new ArrayList<>();
    parts.forEach(p -> all.add(p.configure(each)));
    return Future.all(all).compose(v -> parent.configure(options));
  }

  @Override
  public Future<Void> delete() {
    return parent.delete().compose(v -> Parts.all(parts, t -> t.delete().map(ignored -> 0L))).mapEmpty();
  }
}
