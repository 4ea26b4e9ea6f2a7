package dev.ferrymq.shard;

import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueConsumer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;

/** A push consumer of a partitioned queue: one consumer on every partition, the prefetch window split among them. */
final class PartitionedConsumer implements QueueConsumer {

  private final List<QueueConsumer> consumers;

  private PartitionedConsumer(List<QueueConsumer> consumers) {
    this.consumers = consumers;
  }

  /** Registers on every partition; succeeds once all are registered, or closes those that were and fails. */
  static Future<QueueConsumer> start(String queue, List<Queue> parts, ConsumerOptions options,
                                     Handler<Delivery> handler) {
    ConsumerOptions each = new ConsumerOptions(options.toJson())
      .setPrefetch(Math.max(1, options.getPrefetch() / parts.size()));
    List<Future<QueueConsumer>> starts = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int partition = i;
      starts.add(parts.get(i).consumer(each, d -> handler.handle(new PartitionedDelivery(queue, partition, d))));
    }
    return Future.join(starts).transform(ar -> {
      List<QueueConsumer> started = new ArrayList<>();
      starts.forEach(f -> {
        if (f.succeeded()) {
          started.add(f.result());
        }
      });
      if (ar.succeeded()) {
        return Future.succeededFuture(new PartitionedConsumer(started));
      }
      return new PartitionedConsumer(started).close().transform(ignored -> Future.failedFuture(ar.cause()));
    });
  }

  @Override
  public String id() {
    return consumers.get(0).id();
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closes = new ArrayList<>();
    consumers.forEach(c -> closes.add(c.close()));
    return Future.join(closes).mapEmpty();
  }
}
