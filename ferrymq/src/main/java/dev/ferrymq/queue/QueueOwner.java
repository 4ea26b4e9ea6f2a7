package dev.ferrymq.queue;

import com.hazelcast.map.IMap;
import dev.ferrymq.MemoryAlarmException;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.NextEpoch;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.OwnerVerticle;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Envelope;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.metrics.QueueMeters;
import dev.ferrymq.metrics.QueueSample;
import dev.ferrymq.queue.PullWaiters.Waiter;
import dev.ferrymq.queue.QueueState.Consumer;
import dev.ferrymq.queue.QueueState.Entry;
import dev.ferrymq.queue.QueueState.Lease;
import dev.ferrymq.spi.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one queue. Every operation on the queue runs on this verticle's context — handed over directly
 * from this node, or through the node's endpoint from others — so the state needs no locks. Where messages are kept
 * is {@link QueueJournal}'s business; this class decides who gets what, when.
 */
public final class QueueOwner extends OwnerVerticle {

  private static final Logger LOG = LoggerFactory.getLogger(QueueOwner.class);
  /** How long a failed dead-lettering or auto-ack removal waits to be retried, and a message with no DLQ is held. */
  static final long RETRY_MOVE_MS = 1000;
  /** Header of a send that moves a message out of another queue: the memory alarm does not refuse it. */
  static final String MOVE = "move";

  private final Node node;
  private final String name;
  private final String address;
  private final Clock clock;
  private final QueueState state;
  private final IdempotencyKeys idempotency;
  private final PullWaiters waiters;
  private final DeadLetters deadLetters;
  private final Limits limits;
  private QueueOptions options;
  private QueueJournal journal;
  private Dispatcher dispatcher;
  private Reconciler reconciler;
  private QueueAdmin admin;
  private IMap<String, String> meta;
  private IMap<String, Long> epochs;
  private boolean dropped;
  private long ticker;
  /** Sends accepted but not yet confirmed. */
  private int unconfirmed;
  /** The first epoch this owner took: above 1 when it took the queue over from an earlier owner. */
  private long firstEpoch;
  /** This queue's meters, or {@code null} when the node reports none. */
  private QueueMeters meters;

  /**
   * A send waiting for its confirm, with the callers to answer (resends of its idempotency key join). The id is read
   * only for an idempotency key: the sender knows it, and only duplicates are answered with one.
   */
  record Pending(Entry entry, String id, String idempotencyKey, List<Message<Object>> replies) {
  }

  /** @param node the node @param name the queue */
  public QueueOwner(Node node, String name) {
    this.node = node;
    this.name = name;
    this.address = QueueImpl.address(name);
    this.clock = node.options().getClock();
    this.state = new QueueState(node.memoryAccount());
    this.idempotency = new IdempotencyKeys(node);
    this.waiters = new PullWaiters(node.vertx());
    this.deadLetters = new DeadLetters(node, name, state, () -> options, this::isStopped, e -> delete(e, null));
    this.limits = new Limits(name, state, deadLetters, () -> options);
  }

  @Override
  public Future<?> start() {
    journal = new QueueJournal(node, name, context, () -> options.getDurability());
    reconciler = new Reconciler(node, name, state, journal, this::isStopped, () -> dispatcher.dispatch());
    dispatcher = new Dispatcher(node, name, context, state, journal, waiters, deadLetters, () -> options,
      this::isStopped, reconciler::removed);
    meta = node.hazelcast().getMap(HazelcastSupport.QUEUE_META);
    admin = new QueueAdmin(node, name, context, state, journal, reconciler, deadLetters, waiters, meta, () -> options,
      next -> {
        options = next;
        dispatcher.dispatch();
      }, () -> dropped = true);
    epochs = node.hazelcast().getMap(HazelcastSupport.EPOCHS);
    String defaults = new QueueOptions().toJson().encode();
    return HazelcastSupport.putIfAbsent(meta, name, defaults)
      .map(json -> options = new QueueOptions(new JsonObject(json)))
      .compose(v -> journal.stored()
        ? node.store().saveOptions(MessageStore.Kind.QUEUE, name, options.toJson().encode())
        : Future.succeededFuture())
      .compose(v -> journal.loadReplicated())
      .compose(entries -> {
        load(entries);
        return nextEpoch();
      })
      .map(epoch -> firstEpoch = epoch)
      // The first owner since the cluster started (epoch 1) finding an empty map: a full restart; the store has it.
      .compose(epoch -> epoch == 1 && state.size() == 0 && journal.stored()
        ? journal.loadStored().compose(entries -> {
          load(entries);
          if (entries.isEmpty() && journal.recoveredEpoch() == 0) {
            return Future.succeededFuture(epoch);
          }
          LOG.info("queue {}: reloaded {} messages from the store", name, entries.size());
          return nextEpoch(); // above every epoch of the journals, theirs included
        })
        : Future.succeededFuture(epoch))
      .compose(epoch -> {
        // Each owner incarnation numbers from its own epoch: a stale owner still writing during a hand-over can
        // never overwrite the new owner's messages, and sequence order stays FIFO across owners.
        state.nextSeq = Math.max(state.nextSeq, (epoch << 32) + 1);
        List<Entry> taken = new ArrayList<>(state.ready.values());
        taken.addAll(state.delayed);
        return journal.snapshot(epoch, taken).map(epoch);
      })
      .compose(epoch -> {
        ticker = vertx.setPeriodic(node.options().getTickInterval().toMillis(), id -> tick());
        reconciler.start(epoch, state.nextSeq);
        startMeters();
        return Future.succeededFuture();
      })
      .onFailure(e -> state.releaseAll()); // not started: stop() will not run to give back what it loaded
  }

  private Future<Long> nextEpoch() {
    long min = Math.max(state.nextSeq >>> 32, journal.recoveredEpoch());
    return Future.fromCompletionStage(epochs.submitToKey(name, new NextEpoch(min)), context);
  }

  private void load(List<Entry> entries) {
    long now = clock.millis();
    for (Entry e : entries) {
      state.hold(e);
      state.add(e, now);
      state.nextSeq = Math.max(state.nextSeq, e.seq + 1);
    }
  }

  private void startMeters() {
    if (firstEpoch > 1) {
      node.meters().takeover("queue");
    }
    String suffix = QueueOptions.DEAD_LETTER_SUFFIX;
    String source = name.endsWith(suffix) && name.length() > suffix.length()
      ? name.substring(0, name.length() - suffix.length()) : null;
    meters = QueueMeters.register(node.meters(), name, source, clock);
    publishMeters();
  }

  /** Publishes what the meters read; each tick, on this context. */
  private void publishMeters() {
    if (meters != null && meters.reported()) {
      meters.publish(new QueueSample(state.ready.size(), state.delayed.size(),
        state.leases.size() + state.moving.size() + state.handingOver, state.consumers.size(),
        state.oldestReadyTimestamp(), state.sent, state.delivered, state.acked, state.redelivered,
        state.deadLettered));
    }
  }

  @Override
  protected Future<?> onStop() {
    if (meters != null) {
      meters.close();
    }
    vertx.cancelTimer(ticker);
    if (journal != null) {
      journal.close();
    }
    waiters.failAll(Owners.MOVED, "queue owner stopped"); // the callers retry with the next owner
    state.releaseAll();
    return Future.succeededFuture();
  }

  @Override
  protected void handle(Message<Object> msg) {
    String op = msg.headers().get("op");
    if (dropped) {
      msg.fail(Owners.MOVED, "queue " + name + " is being deleted");
      return;
    }
    try {
      switch (op == null ? "" : op) {
        case "send" -> onSend(msg);
        case "ack" -> onAck(msg);
        case "nack" -> onNack(msg);
        case "reject" -> onReject(msg);
        case "extend" -> onExtend(msg);
        case "consume" -> onConsume(msg);
        case "heartbeat" -> onHeartbeat(msg);
        case "credit" -> onCredit(msg);
        case "cancel" -> onCancel(msg);
        case "receive" -> onReceive(msg);
        case "stats" -> msg.reply(admin.stats());
        case "options" -> msg.reply(options.toJson());
        case "configure" -> admin.configure(msg);
        case "purge" -> admin.purge(msg);
        case "delete" -> admin.delete(msg);
        case "peek" -> admin.peek(msg);
        case "move" -> admin.move(msg);
        default -> msg.fail(400, "unknown operation " + op);
      }
    } catch (RuntimeException e) {
      if (!(e instanceof dev.ferrymq.FerryException)) {
        LOG.warn("queue {}: {} failed", name, op, e);
      }
      Failures.reply(msg, e);
    }
  }

  // --- sending -------------------------------------------------------------------------------------------------

  private void onSend(Message<Object> msg) {
    Buffer body = (Buffer) msg.body();
    String key = msg.headers().get("idempotency-key");
    long now = clock.millis();
    if (key != null && idempotency.duplicate(key, msg, now)) {
      return;
    }
    if (node.memoryAccount().alarm() && msg.headers().get(MOVE) == null) {
      throw new MemoryAlarmException(node.memoryAccount().refusal());
    }
    limits.admit(body.length(), unconfirmed);
    String delay = msg.headers().get("delay");
    String expiresAt = msg.headers().get("expires-at");
    long dueAt = delay == null ? 0 : now + Long.parseLong(delay);
    long expires = expiresAt == null ? 0 : Long.parseLong(expiresAt);
    Entry entry = new Entry(state.nextSeq++, body.getBytes(), 0, dueAt, expires);
    state.sent++;
    if (key == null && dueAt == 0 && unconfirmed == 0 && dispatcher.express(entry, msg)) {
      return;
    }
    state.hold(entry);
    List<Message<Object>> replies = new ArrayList<>(1);
    replies.add(msg);
    Pending p = new Pending(entry, key == null ? null : Envelope.readId(body), key, replies);
    if (key != null) {
      idempotency.opened(p, now);
    }
    unconfirmed++;
    journal.insert(entry).onComplete(ar -> confirm(p, ar.cause()));
  }

  /** Answers a send once its batch is done: the message becomes deliverable, or the callers learn it failed. */
  private void confirm(Pending p, Throwable failure) {
    unconfirmed--;
    if (p.idempotencyKey != null) {
      idempotency.confirmed(p, failure == null);
    }
    if (failure != null) {
      state.release(p.entry);
      p.replies.forEach(m -> Failures.reply(m, failure));
      return;
    }
    state.add(p.entry, clock.millis());
    for (int i = 0; i < p.replies.size(); i++) {
      p.replies.get(i).reply(i == 0 ? null : p.id);
    }
    dispatcher.dispatchSoon();
  }

  // --- delivering ----------------------------------------------------------------------------------------------

  private void onConsume(Message<Object> msg) {
    JsonObject c = (JsonObject) msg.body();
    Consumer consumer = new Consumer(c.getString("id"), c.getString("node"), c.getString("address"),
      c.getInteger("prefetch"), c.getLong("visibility", 0L), c.getBoolean("autoAck", false));
    long taken = c.getLong("taken", 0L);
    consumer.taken = taken; // a consumer new here (after an owner change) starts its window from what it reports
    state.upsertConsumer(consumer, System.nanoTime());
    state.credit(consumer.id, taken);
    msg.reply(null);
    dispatcher.dispatch();
  }

  private void release(String consumerId) {
    for (Lease l : state.removeConsumer(consumerId)) {
      requeue(l.entry(), 0);
    }
  }

  /** A consumer says it is alive; after an owner change this is how it re-attaches. */
  private void onHeartbeat(Message<Object> msg) {
    onConsume(msg);
  }

  /** An auto-ack consumer's handler took {@code n} deliveries: room for as many more. */
  private void onCredit(Message<Object> msg) {
    JsonObject c = (JsonObject) msg.body();
    state.credit(c.getString("id"), c.getLong("taken"));
    msg.reply(null);
    dispatcher.dispatchSoon();
  }

  private void onCancel(Message<Object> msg) {
    release((String) msg.body());
    msg.reply(null);
    dispatcher.dispatch();
  }

  private void onReceive(Message<Object> msg) {
    JsonObject r = (JsonObject) msg.body();
    Waiter w = new Waiter(msg, r.getInteger("max"), r.getLong("visibility", 0L), r.getBoolean("autoAck", false));
    dispatcher.receive(w, r.getLong("wait", 0L));
  }

  // --- settling ------------------------------------------------------------------------------------------------

  private void onAck(Message<Object> msg) {
    Lease lease = state.settle((String) msg.body());
    delete(lease.entry(), msg);
    dispatcher.dispatchSoon();
  }

  private void onNack(Message<Object> msg) {
    JsonObject n = (JsonObject) msg.body();
    Lease lease = state.settle(n.getString("lease"));
    requeue(lease.entry(), n.getLong("delay", 0L));
    msg.reply(null);
    dispatcher.dispatch();
  }

  private void onReject(Message<Object> msg) {
    Lease lease = state.settle((String) msg.body());
    deadLetters.deadLetter(lease.entry(), "rejected");
    msg.reply(null);
    dispatcher.dispatch();
  }

  private void onExtend(Message<Object> msg) {
    JsonObject x = (JsonObject) msg.body();
    state.extend(x.getString("lease"), clock.millis() + x.getLong("visibility"));
    msg.reply(null);
  }

  /** Puts a message back for redelivery, or dead-letters it when it used up its deliveries. */
  private void requeue(Entry e, long delayMs) {
    if (e.deliveryCount >= options.getMaxDeliveries()) {
      deadLetters.deadLetter(e, "max-deliveries");
      return;
    }
    long now = clock.millis();
    e.dueAt = delayMs > 0 ? now + delayMs : 0;
    state.add(e, now);
    journal.update(e); // keeps the count across an owner change
  }

  /** Removes {@code e} for good (acked, moved out, expired with nowhere to go). */
  private void delete(Entry e, Message<Object> reply) {
    state.release(e);
    reconciler.removed(e.seq);
    journal.remove(e.seq).onComplete(ar -> {
      if (reply == null) {
        return;
      }
      if (ar.succeeded()) {
        state.acked++;
        reply.reply(null);
      } else {
        Failures.reply(reply, ar.cause());
      }
    });
  }

  // --- time ----------------------------------------------------------------------------------------------------

  private void tick() {
    if (!node.owners().isLocalOwner(address)) {
      node.owners().stop(address);
      return;
    }
    long silentSince = System.nanoTime() - node.options().getConsumerTimeout().toNanos();
    for (String gone : state.silentConsumers(silentSince)) {
      LOG.info("queue {}: consumer {} stopped sending heartbeats; releasing its leases", name, gone);
      release(gone);
    }
    if (state.hasRemoteConsumers(node.nodeId())) {
      Set<String> members = node.memberIds();
      for (String gone : members == null ? List.<String>of() : state.consumersOutside(members)) {
        LOG.info("queue {}: the node of consumer {} left the cluster; releasing its leases", name, gone);
        release(gone);
      }
    }
    long now = clock.millis();
    for (Lease l : state.expired(now)) {
      requeue(l.entry(), 0);
    }
    state.promoteDue(now);
    idempotency.expire(now);
    dispatcher.dispatch();
    publishMeters();
  }
}
