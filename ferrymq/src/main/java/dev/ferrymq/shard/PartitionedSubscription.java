package dev.ferrymq.shard;

import dev.ferrymq.Gap;
import dev.ferrymq.Position;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/** A subscription to every partition of a topic, each from its own position, which it keeps for a resume. */
final class PartitionedSubscription implements Subscription {

  private final List<Subscription> subs;
  private final AtomicLongArray positions;

  private PartitionedSubscription(List<Subscription> subs, AtomicLongArray positions) {
    this.subs = subs;
    this.positions = positions;
  }

  static Future<Subscription> start(String topic, List<Topic> parts, List<Long> after, Handler<TopicMessage> handler,
                                    Handler<Gap> gapHandler) {
    AtomicLongArray positions = new AtomicLongArray(parts.size());
    List<Future<Subscription>> starts = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int p = i;
      positions.set(p, after.get(p));
      starts.add(parts.get(p).subscribe(Position.after(after.get(p)), m -> {
        positions.set(p, m.seq());
        handler.handle(m.inPartition(topic, p));
      }, gap -> gapHandler.handle(new Gap(gap.requested(), gap.oldest(), p))));
    }
    return Future.join(starts).transform(ar -> {
      List<Subscription> started = new ArrayList<>();
      starts.forEach(f -> {
        if (f.succeeded()) {
          started.add(f.result());
        }
      });
      PartitionedSubscription sub = new PartitionedSubscription(started, positions);
      return ar.succeeded() ? Future.succeededFuture(sub)
        : sub.close().transform(ignored -> Future.failedFuture(ar.cause()));
    });
  }

  /** @return the sum of the partitions' positions: how many messages the subscription is past, in all */
  @Override
  public long lastSeq() {
    long sum = 0;
    for (int i = 0; i < positions.length(); i++) {
      sum += positions.get(i);
    }
    return sum;
  }

  @Override
  public List<Long> positions() {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < positions.length(); i++) {
      out.add(positions.get(i));
    }
    return out;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closes = new ArrayList<>();
    subs.forEach(s -> closes.add(s.close()));
    return Future.join(closes).mapEmpty();
  }
}
