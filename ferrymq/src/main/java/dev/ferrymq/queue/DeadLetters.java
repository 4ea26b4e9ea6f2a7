package dev.ferrymq.queue;

import dev.ferrymq.QueueOptions;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.internal.Envelope;
import dev.ferrymq.queue.QueueState.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves a queue's messages out to another queue: its dead-letter queue, or wherever an operator moves them. */
final class DeadLetters {

  // The owner's logger, as before this class was split from it: the log lines read the same.
  private static final Logger LOG = LoggerFactory.getLogger(QueueOwner.class);

  private final Node node;
  private final Vertx vertx;
  private final String name;
  private final Clock clock;
  private final QueueState state;
  private final Supplier<QueueOptions> options;
  private final BooleanSupplier stopped;
  private final Consumer<Entry> delete;

  /** @param delete removes a message from the queue for good @param stopped whether the owner has stopped */
  DeadLetters(Node node, String name, QueueState state, Supplier<QueueOptions> options,
              BooleanSupplier stopped, Consumer<Entry> delete) {
    this.node = node;
    this.vertx = node.vertx();
    this.name = name;
    this.clock = node.options().getClock();
    this.state = state;
    this.options = options;
    this.stopped = stopped;
    this.delete = delete;
  }

  /** Sends {@code e} to the dead-letter queue with why ({@code reason}), or keeps it when the queue has none. */
  void deadLetter(Entry e, String reason) {
    String dlq = options.get().deadLetterQueueOf(name);
    if (dlq == null && e.expired(clock.millis())) {
      delete.accept(e); // what its sender asked for; there is nowhere to keep it
      return;
    }
    if (dlq == null) { // kept, not dropped; held back a moment so it does not cycle through consumers hot
      e.dueAt = clock.millis() + QueueOwner.RETRY_MOVE_MS;
      state.add(e, clock.millis());
      return;
    }
    state.deadLettered++; // retried until done
    Envelope env = Envelope.decode(e.envelope).withHeaders(Map.of(
      "x-death-reason", reason, "x-death-queue", name, "x-death-count", String.valueOf(e.deliveryCount)));
    moveTo(dlq, e, env.encode(), true);
  }

  /**
   * Sends {@code e} to another queue and removes it here once that queue confirmed it. A dead-lettering that fails
   * (the dead-letter queue full, say) is retried until done: the message must not go back to consumers.
   * A redrive that fails leaves the message where it was.
   */
  Future<Void> moveTo(String target, Entry e, Buffer envelope, boolean untilDone) {
    state.moving.add(e.seq);
    state.movingBytes += e.envelope.length;
    return new QueueImpl(node, target).moveEnvelope(envelope).transform(ar -> {
      if (ar.succeeded()) {
        moved(e);
        delete.accept(e);
        return Future.succeededFuture();
      }
      if (untilDone && !stopped.getAsBoolean()) {
        LOG.warn("queue {}: could not move message {} to {}, retrying in {} ms: {}", name, e.seq, target,
          QueueOwner.RETRY_MOVE_MS, ar.cause().getMessage());
        vertx.setTimer(QueueOwner.RETRY_MOVE_MS, id -> moveTo(target, e, envelope, true));
      } else {
        moved(e);
        state.add(e, clock.millis());
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private void moved(Entry e) {
    state.moving.remove(e.seq);
    state.movingBytes -= e.envelope.length;
  }
}
