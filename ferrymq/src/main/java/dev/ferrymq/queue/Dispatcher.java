package dev.ferrymq.queue;

import dev.ferrymq.QueueOptions;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.queue.PullWaiters.Waiter;
import dev.ferrymq.queue.QueueState.Consumer;
import dev.ferrymq.queue.QueueState.Entry;
import dev.ferrymq.queue.QueueState.Lease;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a queue's ready messages to its waiting pulls and push consumers: leased, or (auto-ack) removed first. */
final class Dispatcher {

  // The owner's logger, as before this class was split from it: the log lines read the same.
  private static final Logger LOG = LoggerFactory.getLogger(QueueOwner.class);

  private final Node node;
  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final String address;
  private final Clock clock;
  private final QueueState state;
  private final QueueJournal journal;
  private final PullWaiters waiters;
  private final DeadLetters deadLetters;
  private final Supplier<QueueOptions> options;
  private final BooleanSupplier stopped;
  private final LongConsumer removed;
  private boolean dispatchScheduled;
  /** Messages handed straight over in this turn (see {@link #express}), per consumer, with their senders. */
  private Map<Consumer, Express> express;

  /** Messages taken out of ready for one auto-ack consumer in one dispatch, handed over as one batch. */
  private static final class Taken {
    final List<Entry> entries = new ArrayList<>();
    int bytes;
  }

  private static final class Express {
    final Deliveries.Batch batch;
    final List<Message<Object>> senders = new ArrayList<>();

    Express(int size) {
      this.batch = new Deliveries.Batch(16, size);
    }
  }

  /**
   * @param context the owner's @param stopped whether the owner has stopped @param removed notes a message removed
   *   from the journal (the owner's reconciliation must not take it in again)
   */
  Dispatcher(Node node, String name, Context context, QueueState state, QueueJournal journal,
             PullWaiters waiters, DeadLetters deadLetters, Supplier<QueueOptions> options, BooleanSupplier stopped,
             LongConsumer removed) {
    this.node = node;
    this.vertx = node.vertx();
    this.context = context;
    this.name = name;
    this.address = QueueImpl.address(name);
    this.clock = node.options().getClock();
    this.state = state;
    this.journal = journal;
    this.waiters = waiters;
    this.deadLetters = deadLetters;
    this.options = options;
    this.stopped = stopped;
    this.removed = removed;
  }

  /** Dispatches once the current burst of confirms or acks has been taken in: one batch per consumer, not one each. */
  void dispatchSoon() {
    if (!dispatchScheduled) {
      dispatchScheduled = true;
      context.runOnContext(v -> {
        dispatchScheduled = false;
        dispatch();
      });
    }
  }

  void dispatch() {
    if (!stillOwner()) {
      return;
    }
    long now = clock.millis();
    while (hasLive(now) && !waiters.isEmpty()) {
      serve(waiters.next(), now);
    }
    Map<Consumer, Deliveries.Batch> leased = null;
    Map<Consumer, Taken> taken = null;
    while (hasLive(now)) {
      Consumer c = state.nextWithCredit();
      if (c == null) {
        break;
      }
      if (c.autoAck) {
        Taken t = (taken == null ? taken = new HashMap<>() : taken).computeIfAbsent(c, k -> new Taken());
        Entry e = state.take(c);
        t.entries.add(e);
        t.bytes += e.envelope.length;
        if (t.bytes >= Deliveries.Batch.MAX_BYTES) {
          handOver(c, taken.remove(c).entries);
        }
        continue;
      }
      Lease lease = state.lease(c.id, c.visibilityMs > 0 ? c.visibilityMs : visibilityMs(), now);
      Deliveries.Batch batch = (leased == null ? leased = new HashMap<>() : leased)
        .computeIfAbsent(c, k -> new Deliveries.Batch(Math.min(state.ready.size() + 1, c.prefetch - c.inFlight + 1),
          lease.entry().envelope.length));
      batch.add(lease.id(), lease.entry().deliveryCount, lease.entry().envelope);
      if (batch.full()) {
        node.sendTo(c.node, c.address, batch.take(), new DeliveryOptions());
      }
    }
    if (leased != null) {
      leased.forEach((c, batch) -> {
        if (!batch.isEmpty()) {
          node.sendTo(c.node, c.address, batch.take(), new DeliveryOptions());
        }
      });
    }
    if (taken != null) {
      taken.forEach((c, t) -> handOver(c, t.entries));
    }
  }

  /**
   * Hands a message that was just sent straight to an auto-ack consumer with room, when nothing is ahead of it: no
   * map entry and no store row are written, as a broker delivering to a waiting consumer does (RabbitMQ, NATS), since
   * an auto-acked message is settled once handed over. Its sender is answered once it is on its way (at the end of
   * this turn, one buffer per consumer). The caller checked that no earlier send awaits its confirm.
   *
   * @return whether {@code e} was taken
   */
  boolean express(Entry e, Message<Object> sender) {
    if (!state.ready.isEmpty() || state.handingOver > 0 || !waiters.isEmpty() || !state.onlyAutoAckConsumers()
        || stopped.getAsBoolean()) {
      return false;
    }
    Consumer c = state.nextWithCredit();
    if (c == null) {
      return false;
    }
    e.deliveryCount++;
    state.delivered(e);
    c.inFlight++;
    if (express == null) {
      express = new HashMap<>();
      context.runOnContext(v -> sendExpress());
    }
    Express x = express.computeIfAbsent(c, k -> new Express(e.envelope.length));
    x.batch.add(null, e.deliveryCount, e.envelope);
    x.senders.add(sender);
    if (x.batch.full()) { // as in dispatch: a batch goes at 64 KiB and the next one starts
      express.remove(c);
      send(c, x, stillOwner());
    }
    return true;
  }

  private void sendExpress() {
    Map<Consumer, Express> out = express;
    express = null;
    boolean owner = stillOwner();
    out.forEach((c, x) -> send(c, x, owner));
  }

  /** Writes that complete after a hand-over must not be delivered by this owner too (the next one delivers them). */
  private boolean stillOwner() {
    return !stopped.getAsBoolean() && node.owners().isLocalOwner(address);
  }

  private void send(Consumer c, Express x, boolean owner) {
    if (owner) {
      node.sendTo(c.node, c.address, x.batch.take(), new DeliveryOptions());
      x.senders.forEach(m -> m.reply(null));
    } else {
      c.inFlight -= x.senders.size();
      state.delivered -= x.senders.size(); // not delivered after all: the senders retry with the new owner
      x.senders.forEach(m -> m.fail(Owners.MOVED, "queue " + name + " moved"));
    }
  }

  /** Serves the pull {@code w} at once when there is a message (or it will not wait), else keeps it waiting. */
  void receive(Waiter w, long waitMs) {
    if (hasLive(clock.millis()) || waitMs <= 0) {
      serve(w, clock.millis());
      return;
    }
    waiters.add(w, waitMs);
  }

  private void handOver(Consumer c, List<Entry> entries) {
    handOver(entries).onSuccess(out -> node.sendTo(c.node, c.address, out, new DeliveryOptions()));
  }

  /**
   * Auto-ack: removes messages taken out of ready, then hands them over in one buffer, so they are not delivered
   * again by this owner nor by the next (except one that loaded the map while the removal was still on its way).
   * A removal that fails is retried until done rather than the messages made ready again: it may have half
   * happened (map done, store not), and a message kept only in this owner's memory would not survive its node.
   */
  private Future<Buffer> handOver(List<Entry> entries) {
    long[] seqs = new long[entries.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = entries.get(i).seq;
      removed.accept(seqs[i]);
    }
    return removeUntilDone(seqs).map(v -> {
      state.handedOver(seqs.length);
      entries.forEach(state::release);
      Deliveries.Batch out = new Deliveries.Batch(entries.size(), entries.get(0).envelope.length);
      for (Entry e : entries) {
        out.add(null, e.deliveryCount, e.envelope);
      }
      return out.take();
    });
  }

  private Future<Void> removeUntilDone(long[] seqs) {
    return journal.remove(seqs).recover(e -> {
      if (stopped.getAsBoolean()) {
        return Future.succeededFuture(); // handed over after all: a second copy beats none
      }
      LOG.warn("queue {}: could not remove {} auto-acked messages, retrying in {} ms: {}", name, seqs.length,
        QueueOwner.RETRY_MOVE_MS, e.getMessage());
      return vertx.timer(QueueOwner.RETRY_MOVE_MS).compose(t -> removeUntilDone(seqs));
    });
  }

  /** @return whether a ready message can be leased; expired ones at the head go to the dead-letter queue first */
  private boolean hasLive(long now) {
    while (!state.ready.isEmpty()) {
      Entry head = state.ready.firstEntry().getValue();
      if (!head.expired(now)) {
        return true;
      }
      state.ready.pollFirstEntry();
      deadLetters.deadLetter(head, "expired");
    }
    return false;
  }

  private void serve(Waiter w, long now) {
    if (w.autoAck) {
      List<Entry> entries = new ArrayList<>();
      while (entries.size() < w.max && hasLive(now)) {
        entries.add(state.take(null));
      }
      if (entries.isEmpty()) {
        PullWaiters.answerEmpty(w);
      } else {
        handOver(entries).onSuccess(w.reply::reply).onFailure(e -> Failures.reply(w.reply, e));
      }
      return;
    }
    Buffer out = Buffer.buffer().appendInt(0);
    int n = 0;
    while (n < w.max && hasLive(now)) {
      Lease lease = state.lease(null, w.visibilityMs > 0 ? w.visibilityMs : visibilityMs(), now);
      Deliveries.append(out, lease.id(), lease.entry().deliveryCount, lease.entry().envelope);
      n++;
    }
    w.reply.reply(out.setInt(0, n));
  }

  private long visibilityMs() {
    return options.get().getVisibilityTimeout().toMillis();
  }
}
