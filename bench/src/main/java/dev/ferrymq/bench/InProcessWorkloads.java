package dev.ferrymq.bench;

import dev.ferrymq.Broker;
import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Durability;
import dev.ferrymq.Position;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** W1–W4 through the Java API of a broker in the same JVM (the embedding case). */
final class InProcessWorkloads implements Workload {

  private final Broker broker;
  private final Vertx vertx;
  private final BenchOptions opts;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  InProcessWorkloads(Broker broker, BenchOptions opts) {
    this.broker = broker;
    this.vertx = broker.vertx();
    this.opts = opts;
  }

  @Override
  public Future<Void> start(Load load) {
    return switch (opts.workload) {
      case "w1" -> queue(load, opts.durability, opts.confirmWindow);
      case "w2" -> queue(load, Durability.MEMORY, Integer.MAX_VALUE);
      case "w3" -> topic(load);
      case "w4" -> requestReply(load);
      default -> Future.failedFuture(new IllegalArgumentException("unknown workload " + opts.workload));
    };
  }

  static int receivers(BenchOptions opts) {
    return switch (opts.workload) {
      case "w3" -> opts.subs;
      case "w4" -> opts.concurrency;
      default -> 1;
    };
  }

  private Future<Void> queue(Load load, Durability durability, int confirmWindow) {
    Queue q = broker.queue("bench-" + opts.workload + "-" + run);
    boolean autoAck = opts.workload.equals("w2"); // W2 is at-most-once (no consumer acks), as the peers run it
    // Acked: the consumer holds at most the end-to-end window. Auto-ack: a window well above it, as the peers' W2
    // consumers have none (NATS core, RabbitMQ auto-ack), so the consumer's credit is never what holds the queue.
    int prefetch = Math.min(autoAck ? 4 * opts.window : opts.window, ConsumerOptions.MAX_PREFETCH);
    return q.configure(new QueueOptions().setDurability(durability))
      .compose(v -> q.consumer(new ConsumerOptions().setPrefetch(prefetch).setAutoAck(autoAck), d -> {
          load.received(0, d.payload());
          if (!autoAck) {
            d.ack();
          }
        }))
      .compose(c -> producer(load, confirmWindow, payload -> q.send(payload).mapEmpty()));
  }

  private Future<Void> topic(Load load) {
    Topic t = broker.topic("bench-w3-" + run);
    List<Future<?>> subs = new ArrayList<>();
    return t.configure(new TopicOptions().setDurability(Durability.MEMORY)).compose(v -> {
      for (int i = 0; i < opts.subs; i++) {
        int r = i;
        subs.add(t.subscribe(Position.LATEST, m -> load.received(r, m.payload())));
      }
      return Future.all(subs);
    }).compose(v -> producer(load, opts.confirmWindow, payload -> t.publish(payload).mapEmpty()));
  }

  private Future<Void> requestReply(Load load) {
    String address = "bench.echo." + run;
    return vertx.eventBus().<Buffer>consumer(address, m -> m.reply(m.body())).completion().map(v -> {
      for (int i = 0; i < opts.concurrency; i++) {
        int r = i;
        vertx.runOnContext(x -> requester(load, address, r));
      }
      return null;
    });
  }

  private void requester(Load load, String address, int r) {
    if (load.stopping) {
      return;
    }
    load.sent.incrementAndGet();
    broker.request(address, load.payload(), null, Duration.ofSeconds(30)).onComplete(ar -> {
      if (ar.succeeded()) {
        load.received(r, ar.result().body());
      }
      requester(load, address, r);
    });
  }

  private Future<Void> producer(Load load, int confirmWindow, java.util.function.Function<Buffer, Future<Void>> send) {
    Producer.start(vertx, load, opts.rate, confirmWindow, () -> send.apply(load.payload()));
    return Future.succeededFuture();
  }
}
