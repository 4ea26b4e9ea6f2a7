package dev.ferrymq.queue;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.ferrymq.Durability;
import dev.ferrymq.SendOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Envelope;
import dev.ferrymq.queue.QueueState.Entry;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one queue's messages are kept: its Hazelcast map {@code ferrymq.q.<queue>} (replicated, keys
 * {@code <seq>@<queue>}, written in Hazelcast's serialized form by {@link MapForms}) and, unless the queue is
 * memory-only, the store. Inserts and removals are batched: while one batch is in flight the next gathers, and each
 * caller's future completes with its batch — after the replicated write, and in {@code sync} mode the store commit
 * too, which run side by side. Used on the owner's context only.
 */
final class QueueJournal {

  private static final Logger LOG = LoggerFactory.getLogger(QueueJournal.class);

  private final Node node;
  private final String name;
  /** The owner's address, to check on each confirmed batch that the partition is still here. */
  private final String address;
  private final Context context;
  private final Supplier<Durability> durability;
  private final IMap<Object, Object> map;
  private final MapForms forms;
  private List<Insert> inserts = new ArrayList<>();
  private boolean inserting;
  private List<Removal> removals = new ArrayList<>();
  private boolean removing;
  private boolean closed;
  /** The epoch of the journal a full restart recovered this queue from (the node's own journals), else 0. */
  private long recoveredEpoch;

  private record Insert(Entry entry, Promise<Void> done) {
  }

  private record Removal(long[] seqs, Promise<Void> done) {
  }

  QueueJournal(Node node, String name, Context context, Supplier<Durability> durability) {
    this.node = node;
    this.name = name;
    this.address = QueueImpl.address(name);
    this.context = context;
    this.durability = durability;
    this.map = node.hazelcast().getMap(HazelcastSupport.QUEUE_MAP_PREFIX + name);
    this.forms = new MapForms(node.hazelcast(), name);
  }

  /** @return whether the queue's messages go to the store */
  boolean stored() {
    return node.store() != null && durability.get() != Durability.MEMORY;
  }

  /** @return whether the queue's messages go to this node's own journal (a store not shared with other nodes) */
  boolean ownJournal() {
    return stored() && node.journals() != null;
  }

  /** @return the epoch of the journal this queue was recovered from after a full restart, 0 if none */
  long recoveredEpoch() {
    return recoveredEpoch;
  }

  /**
   * A new owner's snapshot in its own journal: everything it took over, tagged with its epoch, replacing whatever an
   * earlier ownership left there. Done before the owner confirms anything new; nothing to do with a shared store.
   */
  Future<Void> snapshot(long epoch, List<Entry> entries) {
    if (!ownJournal()) {
      return Future.succeededFuture();
    }
    List<StoredMessage> rows = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      rows.add(new StoredMessage(e.seq, e.envelope, e.deliveryCount, e.dueAt));
    }
    return node.store().replaceQueue(name, epoch, rows);
  }

  /** Adds messages taken in after the snapshot (a previous owner's late writes) to this node's own journal. */
  void keep(List<Entry> entries) {
    if (ownJournal() && !entries.isEmpty()) {
      List<StoredMessage> rows = new ArrayList<>(entries.size());
      for (Entry e : entries) {
        rows.add(new StoredMessage(e.seq, e.envelope, e.deliveryCount, e.dueAt));
      }
      node.store().insertQueueMessages(name, rows)
        .onFailure(e -> LOG.warn("queue {}: taken-in messages not journalled: {}", name, e.getMessage()));
    }
  }

  /** @return whether confirms and acks wait for the store commit */
  private boolean synced() {
    return stored() && durability.get() == Durability.SYNC;
  }

  /** @return the messages in the replicated map (a copy made on a worker thread) */
  Future<List<Entry>> loadReplicated() {
    return node.vertx().executeBlocking(() -> new HashMap<>(map)).map(values -> {
      List<Entry> out = new ArrayList<>(values.size());
      values.forEach((key, value) -> out.add(decode((String) key, (byte[]) value)));
      return out;
    });
  }

  /**
   * @return the messages in the store — the shared one, or the best of the members' own journals — put back into the
   *     replicated map first (after a full restart)
   */
  Future<List<Entry>> loadStored() {
    Future<List<StoredMessage>> stored = node.journals() == null ? node.store().loadQueue(name)
      : node.journals().recover(MessageStore.Kind.QUEUE, name, 0).map(r -> {
        recoveredEpoch = r.epoch();
        return r.messages();
      });
    return stored.compose(rows -> {
      List<Entry> out = new ArrayList<>(rows.size());
      Map<Object, Object> values = new HashMap<>(rows.size() * 2);
      for (StoredMessage m : rows) {
        String expires = Envelope.decode(m.envelope()).headers().get(SendOptions.EXPIRES_AT_HEADER);
        Entry e = new Entry(m.seq(), m.envelope(), m.deliveryCount(), m.dueAt(),
          expires == null ? 0 : Long.parseLong(expires));
        out.add(e);
        values.put(forms.key(e.seq), forms.value(e));
      }
      return Future.fromCompletionStage(map.setAllAsync(values), context).map(out);
    });
  }

  private static Entry decode(String key, byte[] bytes) {
    Buffer value = Buffer.buffer(bytes);
    return new Entry(Long.parseLong(key.substring(0, key.indexOf('@'))),
      value.getBytes(StoredValue.HEADER, value.length()), StoredValue.deliveryCount(value), StoredValue.dueAt(value),
      StoredValue.expiresAt(value));
  }

  /** Puts messages read back from the store (paged in) into the replicated map; the store has them already. */
  Future<Void> putPagedIn(List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<Object, Object> values = new HashMap<>(entries.size() * 2);
    for (Entry e : entries) {
      values.put(forms.key(e.seq), forms.value(e));
    }
    return HazelcastSupport.onContext(map.setAllAsync(values), context);
  }

  /** Keeps a new message. @return completes once it is confirmed (replicated, and committed in sync mode) */
  Future<Void> insert(Entry e) {
    Promise<Void> done = Promise.promise();
    inserts.add(new Insert(e, done));
    flushInserts();
    return done.future();
  }

  private void flushInserts() {
    if (inserting || inserts.isEmpty()) {
      return;
    }
    if (closed) { // the owner stopped: its senders retry with the next owner, which will see their messages
      inserts.forEach(i -> i.done.fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Owners.MOVED, "moved")));
      inserts.clear();
      return;
    }
    List<Insert> batch = inserts;
    inserts = new ArrayList<>();
    inserting = true;
    Map<Object, Object> values = new HashMap<>(batch.size() * 2);
    List<StoredMessage> rows = stored() ? new ArrayList<>(batch.size()) : null;
    for (Insert i : batch) {
      values.put(forms.key(i.entry.seq), forms.value(i.entry));
      if (rows != null) {
        rows.add(new StoredMessage(i.entry.seq, i.entry.envelope, 0, i.entry.dueAt));
      }
    }
    // One message (a quiet queue): a plain single-partition set, with fewer hops than the multi-partition setAll.
    Map.Entry<Object, Object> only = values.size() == 1 ? values.entrySet().iterator().next() : null;
    Future<Void> replicated = HazelcastSupport.onContext(only != null ? map.setAsync(only.getKey(), only.getValue())
      : map.setAllAsync(values), context);
    Future<Void> written = rows == null ? Future.succeededFuture() : node.store().insertQueueMessages(name, rows);
    boolean sync = synced();
    if (!sync) {
      written.onFailure(e -> LOG.warn("queue {}: write-behind to the store failed: {}", name, e.getMessage()));
    }
    (sync ? Future.all(replicated, written) : replicated).onComplete(ar -> {
      inserting = false;
      // Written, but the partition is elsewhere by now (a hand-over, a merge after a split brain): the owner there
      // may never see these entries, so they are not confirmed here; the senders retry with that owner.
      boolean moved = ar.succeeded() && !node.owners().isLocalOwner(address);
      if (ar.failed() || moved) {
        undo(batch, replicated, written);
      }
      for (Insert i : batch) {
        if (moved) {
          i.done.fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Owners.MOVED, "moved"));
        } else if (ar.succeeded()) {
          i.done.complete();
        } else {
          i.done.fail(new UnavailableException("message not stored: " + ar.cause().getMessage()));
        }
      }
      flushInserts();
    });
  }

  /** A batch that was not confirmed leaves no trace: whatever part of it was written is removed again. */
  private void undo(List<Insert> batch, Future<Void> replicated, Future<Void> written) {
    long[] seqs = batch.stream().mapToLong(i -> i.entry.seq).toArray();
    replicated.onSuccess(v -> map.submitToKeys(keys(seqs), deleteEntry()));
    written.onSuccess(v -> node.store().deleteQueueMessages(name, seqs));
  }

  /**
   * Removes messages (acked, auto-acked, moved, purged), all in the same batch. @return completes once removed (and
   * committed in sync mode)
   */
  Future<Void> remove(long... seqs) {
    Promise<Void> done = Promise.promise();
    removals.add(new Removal(seqs, done));
    flushRemovals();
    return done.future();
  }

  private void flushRemovals() {
    if (removing || removals.isEmpty()) {
      return;
    }
    List<Removal> batch = removals;
    removals = new ArrayList<>();
    removing = true;
    long[] seqs = batch.stream().flatMapToLong(r -> java.util.Arrays.stream(r.seqs)).toArray();
    CompletionStage<?> deleted = seqs.length == 1 ? map.submitToKey(forms.key(seqs[0]), deleteEntry())
      : map.submitToKeys(keys(seqs), deleteEntry());
    Future<?> removed = HazelcastSupport.onContext(deleted, context);
    if (stored()) {
      Future<Void> unstored = node.store().deleteQueueMessages(name, seqs);
      if (synced()) {
        removed = Future.all(removed, unstored);
      } else {
        unstored.onFailure(e -> LOG.warn("queue {}: write-behind delete failed: {}", name, e.getMessage()));
      }
    }
    removed.onComplete(ar -> {
      removing = false;
      for (Removal r : batch) {
        if (ar.succeeded()) {
          r.done.complete();
        } else {
          r.done.fail(new UnavailableException("removal not stored: " + ar.cause().getMessage()));
        }
      }
      flushRemovals();
    });
  }

  /**
   * Records a message's new delivery count and due time, without waiting: losing it only allows an extra delivery.
   * In Hazelcast it only updates an entry that exists, so a stale owner never brings back a removed message.
   */
  void update(Entry e) {
    map.submitToKey(forms.key(e.seq), processor(new UpdateEntry(StoredValue.of(e))));
    if (stored()) {
      node.store().updateQueueMessage(name, e.seq, e.deliveryCount, e.dueAt);
    }
  }

  /** Writes nothing more that is not already in flight; sends still waiting fail with "moved". */
  void close() {
    closed = true;
    flushInserts();
  }

  /** Drops the queue's map and its rows in the store. */
  Future<Void> destroy() {
    return node.vertx().executeBlocking(() -> {
      map.destroy();
      return null;
    }).compose(v -> node.store() == null ? Future.succeededFuture()
      : node.store().delete(MessageStore.Kind.QUEUE, name));
  }

  private static EntryProcessor<Object, Object, Boolean> deleteEntry() {
    return processor(DeleteEntry.INSTANCE);
  }

  /** The map is used with {@link MapForms}' keys and values: its entry processors see them as String and byte[]. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static EntryProcessor<Object, Object, Boolean> processor(EntryProcessor<String, byte[], Boolean> p) {
    return (EntryProcessor) p;
  }

  private Set<Object> keys(long[] seqs) {
    Set<Object> keys = new HashSet<>(seqs.length * 2);
    for (long seq : seqs) {
      keys.add(forms.key(seq));
    }
    return keys;
  }
}
