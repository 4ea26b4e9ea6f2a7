package dev.ferrymq.queue;

import com.hazelcast.map.IMap;
import dev.ferrymq.ConflictException;
import dev.ferrymq.Durability;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.queue.QueueState.Entry;
import dev.ferrymq.spi.MessageStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A queue owner's administration: stats, options, purge, delete, peek and moving messages to another queue. */
final class QueueAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(QueueAdmin.class);

  private final Node node;
  private final String name;
  private final Context context;
  private final QueueState state;
  private final QueueJournal journal;
  private final Reconciler reconciler;
  private final DeadLetters deadLetters;
  private final PullWaiters waiters;
  private final IMap<String, String> meta;
  private final Supplier<QueueOptions> options;
  private final Consumer<QueueOptions> applyOptions;
  private final Runnable drop;
  private Pager pager;

  QueueAdmin(Node node, String name, Context context, QueueState state, QueueJournal journal, Reconciler reconciler,
             DeadLetters deadLetters, PullWaiters waiters, IMap<String, String> meta, Supplier<QueueOptions> options,
             Consumer<QueueOptions> applyOptions, Runnable drop) {
    this.node = node;
    this.name = name;
    this.context = context;
    this.state = state;
    this.journal = journal;
    this.reconciler = reconciler;
    this.deadLetters = deadLetters;
    this.waiters = waiters;
    this.meta = meta;
    this.options = options;
    this.applyOptions = applyOptions;
    this.drop = drop;
  }

  /** @param pager the queue's paging: its messages out of memory count in the stats, purge and peek */
  void paging(Pager pager) {
    this.pager = pager;
  }

  /** Paged messages count as ready (they wait for a consumer) and are also reported on their own as {@code paged}. */
  JsonObject stats() {
    long paged = pager.confirmedPaged();
    return new JsonObject().put("ready", state.ready.size() + paged).put("delayed", state.delayed.size())
      .put("inFlight", state.leases.size() + state.moving.size() + state.handingOver)
      .put("consumers", state.consumers.size()).put("bytes", state.bytes + pager.confirmedPagedBytes())
      .put("sent", state.sent).put("paged", paged)
      .put("deadLetterQueue", options.get().deadLetterQueueOf(name));
  }

  void configure(Message<Object> msg) {
    QueueOptions next = new QueueOptions((JsonObject) msg.body());
    if (next.getDurability() == Durability.MEMORY && options.get().getDurability() != Durability.MEMORY
      && pager.paged() > 0) {
      // Its paged messages live only in the store, which a memory-only queue no longer reads or cleans.
      Failures.reply(msg, new ConflictException("queue '" + name + "' has " + pager.paged() + " messages paged out to"
        + " the store: it can become memory-only once its consumers have drained them"));
      return;
    }
    String json = next.toJson().encode();
    Future<Void> saved = node.store() == null ? Future.succeededFuture()
      : node.store().saveOptions(MessageStore.Kind.QUEUE, name, json);
    Future.all(Future.fromCompletionStage(meta.setAsync(name, json), context), saved).onComplete(ar -> {
      if (ar.succeeded()) {
        applyOptions.accept(next);
        msg.reply(null);
      } else {
        LOG.warn("queue {}: options not stored: {}", name, String.valueOf(ar.cause()));
        Failures.reply(msg, new UnavailableException("the queue's options could not be stored; try again"));
      }
    });
  }

  void purge(Message<Object> msg) {
    long[] seqs = new long[state.ready.size() + state.delayed.size()];
    int n = 0;
    for (Entry e : state.ready.values()) {
      seqs[n++] = e.seq;
      state.release(e);
    }
    for (Entry e : state.delayed) {
      seqs[n++] = e.seq;
      state.release(e);
    }
    for (long seq : seqs) {
      reconciler.removed(seq);
    }
    if (n > 0) {
      journal.remove(seqs); // one removal for all, not one per message
    }
    state.ready.clear();
    state.delayed.clear();
    msg.reply(n + pager.purge());
  }

  void delete(Message<Object> msg) {
    waiters.answerAllEmpty();
    state.consumers.values().forEach(c -> node.sendTo(c.node, c.address, null,
      new DeliveryOptions().addHeader("op", "closed")));
    drop.run();
    journal.destroy()
      .compose(v -> pager.destroy())
      .compose(v -> Future.fromCompletionStage(meta.deleteAsync(name), context))
      .onComplete(ar -> {
        msg.reply(null);
        node.owners().stop(QueueImpl.address(name));
      });
  }

  void peek(Message<Object> msg) {
    int limit = ((JsonObject) msg.body()).getInteger("limit");
    List<Entry> entries = new ArrayList<>(state.ready.values().stream().limit(limit).toList());
    pager.peek(limit - entries.size()).onComplete(ar -> {
      if (ar.failed()) {
        Failures.reply(msg, ar.cause());
        return;
      }
      entries.addAll(ar.result());
      Buffer out = Buffer.buffer().appendInt(entries.size());
      for (Entry e : entries) {
        Deliveries.append(out, null, e.deliveryCount, e.envelope);
      }
      msg.reply(out);
    });
  }

  void move(Message<Object> msg) {
    JsonObject m = (JsonObject) msg.body();
    String target = m.getString("to");
    if (target.equals(name)) {
      throw new InvalidRequestException("cannot move messages of '" + name + "' to itself");
    }
    int max = m.getInteger("max");
    List<Future<Void>> moves = new ArrayList<>();
    while (moves.size() < max && !state.ready.isEmpty()) {
      Entry e = state.ready.pollFirstEntry().getValue();
      moves.add(deadLetters.moveTo(target, e, Buffer.buffer(e.envelope), false));
    }
    Future.join(moves).onComplete(ar -> msg.reply(moves.stream().filter(Future::succeeded).count()));
  }
}
