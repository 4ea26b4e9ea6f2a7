package dev.ferrymq.queue;

import com.hazelcast.map.IMap;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.SendOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Envelope;
import dev.ferrymq.queue.QueueState.Entry;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paging of one queue: beyond its window (a count and a byte size) new messages are written to the store only, and
 * read back in sequence order, a batch at a time, when the part in memory falls below half the window. Every paged
 * message has a higher seq than every message in memory, so FIFO holds. A replicated mark (map
 * {@value #MARKS}) says up to which seq the store's messages were brought into memory: a new owner takes the messages
 * in the map as its window and the stored ones above the mark that are not in the map as paged. Pages only where the
 * next owner reaches the store: a broker alone, or a store shared by the cluster; with each node's own journal a
 * paged message would be on one disk only, so such a queue keeps all in memory. Used on the owner's context only.
 */
final class Pager {

  private static final Logger LOG = LoggerFactory.getLogger(QueueOwner.class);
  /** Map of each queue's page mark: every stored message with a seq up to it is in memory or gone. */
  static final String MARKS = "ferrymq.meta.paged";
  /** Most messages read from the store at once. */
  private static final int MAX_READ = 1000;

  private final Node node;
  private final String name;
  private final String address;
  private final Context context;
  private final QueueState state;
  private final QueueJournal journal;
  private final Supplier<QueueOptions> options;
  private final BooleanSupplier stopped;
  private final Runnable dispatch;
  private final IMap<String, Long> marks;
  private boolean enabled;
  /** Messages out of memory, paged writes not yet confirmed included, and their envelopes' bytes. */
  private long paged;
  private long pagedBytes;
  private List<Write> writes = new ArrayList<>();
  private int writing;
  private long writingBytes;
  private boolean flushing;
  /** Every stored message up to this seq is in memory (or gone); reads start after it. */
  private long cursor;
  /** The highest seq whose paged write is confirmed: reads stop there. */
  private long confirmed;
  private boolean reading;
  private int purges;
  /** Messages above the mark that a new owner found in the map: in memory already, skipped when read. */
  private final NavigableSet<Long> inMemoryAbove = new TreeSet<>();
  /** The mark this owner started from: stored messages above it are this pager's to read. */
  private long startMark = Long.MAX_VALUE;

  private record Write(Entry entry, Promise<Void> done) {
  }

  Pager(Node node, String name, Context context, QueueState state, QueueJournal journal,
        Supplier<QueueOptions> options, BooleanSupplier stopped, Runnable dispatch) {
    this.node = node;
    this.name = name;
    this.address = QueueImpl.address(name);
    this.context = context;
    this.state = state;
    this.journal = journal;
    this.options = options;
    this.stopped = stopped;
    this.dispatch = dispatch;
    this.marks = node.hazelcast().getMap(MARKS);
  }

  /** @return whether this queue can page: it is stored, and the next owner reads the same store */
  static boolean pageable(Node node, QueueJournal journal) {
    return journal.stored() && node.journals() == null;
  }

  /**
   * Finds what is paged out: the stored messages above the mark that are not among {@code loaded} (the map's).
   * Raises the state's next seq above them. Nothing to do for a queue that cannot page.
   */
  Future<Void> start(List<Entry> loaded) {
    enabled = pageable(node, journal);
    if (!enabled) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(marks.getAsync(name), context)
      .compose(mark -> {
        cursor = mark == null ? 0 : mark;
        startMark = cursor;
        return node.store().queueExtent(name, cursor);
      })
      .map(extent -> {
        long n = 0;
        long bytes = 0;
        for (Entry e : loaded) {
          if (e.seq > cursor) {
            inMemoryAbove.add(e.seq);
            n++;
            bytes += e.envelope.length;
          }
        }
        paged = Math.max(0, extent.messages() - n);
        pagedBytes = paged == 0 ? 0 : Math.max(0, extent.bytes() - bytes);
        confirmed = extent.lastSeq();
        state.nextSeq = Math.max(state.nextSeq, extent.lastSeq() + 1);
        if (paged > 0) {
          LOG.info("queue {}: {} messages ({} bytes) in the store beyond the part in memory; paged in as consumers"
            + " drain it", name, paged, pagedBytes);
        }
        return null;
      })
      // The window is filled before the owner serves: a small backlog is all in memory at once, as before paging.
      .compose(v -> paged > 0 && state.size() < window() ? read(room(window() - state.size()))
        : Future.succeededFuture());
  }

  /**
   * @return whether a message the previous owner wrote late into the map is this pager's to read from the store (it
   *     is above the mark this owner started from), so the reconciliation must not take it in a second time
   */
  boolean readsFromStore(long seq) {
    return enabled && seq > startMark;
  }

  /** @return messages out of memory (paged writes under way included) */
  long paged() {
    return paged;
  }

  /** @return their envelopes' bytes */
  long pagedBytes() {
    return pagedBytes;
  }

  /** @return messages out of memory whose send is confirmed: what the stats report */
  long confirmedPaged() {
    return paged - writing;
  }

  /** @return their envelopes' bytes */
  long confirmedPagedBytes() {
    return pagedBytes - writingBytes;
  }

  private int window() {
    int w = options.get().getPageWindow();
    return w > 0 ? w : node.options().getPageWindow();
  }

  private long windowBytes() {
    return node.options().getPageWindowBytes();
  }

  /**
   * @return whether a new message of {@code bytes} goes to the store only; {@code unconfirmed} sends are on their way
   *     into memory
   */
  boolean pages(int bytes, int unconfirmed) {
    if (!enabled || !journal.stored()) {
      return false;
    }
    return paged > 0 || state.size() + unconfirmed >= window() || state.bytes + bytes > windowBytes();
  }

  /** Writes a message beyond the window to the store only. @return completes once it is committed (confirmed) */
  Future<Void> write(Entry e) {
    if (stopped.getAsBoolean()) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Owners.MOVED, "moved"));
    }
    if (paged == 0) {
      // Paging starts: every message before this one is in memory (or on its way there), none after it will be.
      cursor = Math.max(cursor, e.seq - 1);
    }
    paged++;
    pagedBytes += e.envelope.length;
    writing++;
    writingBytes += e.envelope.length;
    Promise<Void> done = Promise.promise();
    writes.add(new Write(e, done));
    flush();
    return done.future();
  }

  private void flush() {
    if (flushing || writes.isEmpty()) {
      return;
    }
    List<Write> batch = writes;
    writes = new ArrayList<>();
    flushing = true;
    List<StoredMessage> rows = new ArrayList<>(batch.size());
    for (Write w : batch) {
      rows.add(new StoredMessage(w.entry.seq, w.entry.envelope, 0, w.entry.dueAt));
    }
    node.store().insertQueueMessages(name, rows).onComplete(ar -> {
      flushing = false;
      // Committed, but the partition moved meanwhile: the owner there may not count it; the senders retry there.
      boolean moved = ar.succeeded() && !node.owners().isLocalOwner(address);
      if (moved) {
        node.store().deleteQueueMessages(name, rows.stream().mapToLong(StoredMessage::seq).toArray());
      }
      for (Write w : batch) {
        writing--;
        writingBytes -= w.entry.envelope.length;
        if (ar.succeeded() && !moved) {
          confirmed = Math.max(confirmed, w.entry.seq);
          w.done.complete();
        } else {
          paged--;
          pagedBytes -= w.entry.envelope.length;
          w.done.fail(moved ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Owners.MOVED, "moved")
            : new UnavailableException("message not stored: " + ar.cause().getMessage()));
        }
      }
      flush();
      pageIn();
    });
  }

  /** Reads the next paged messages into memory when the part in memory is below half the window. */
  void pageIn() {
    if (paged <= 0 || reading || stopped.getAsBoolean() || node.store() == null || cursor >= confirmed) {
      return;
    }
    int window = window();
    int held = state.size();
    if (held > window / 2 || state.bytes > windowBytes() / 2) {
      return;
    }
    read(Math.min(MAX_READ, room(window - held))).onFailure(e -> LOG.warn(
      "queue {}: paging in failed, retried on the next tick: {}", name, e.getMessage()));
  }

  /** @return how many paged messages fit in memory: at most {@code count}, and what the window's bytes leave */
  private int room(int count) {
    long average = Math.max(1, pagedBytes / Math.max(1, paged));
    return (int) Math.max(1, Math.min(count, (windowBytes() - state.bytes) / average));
  }

  /** Reads up to {@code limit} paged messages into memory, in seq order. */
  private Future<Void> read(int limit) {
    long upTo = confirmed;
    int purgesBefore = purges;
    reading = true;
    return node.store().loadQueue(name, cursor, limit).compose(rows -> {
      List<Entry> in = new ArrayList<>(rows.size());
      long last = cursor;
      boolean beyond = false;
      for (StoredMessage m : rows) {
        if (m.seq() > upTo) {
          beyond = true;
          break;
        }
        last = m.seq();
        if (!inMemoryAbove.contains(m.seq())) {
          in.add(entry(m));
        }
      }
      boolean exhausted = beyond || rows.size() < limit;
      long lastRead = last;
      return journal.putPagedIn(in)
        .compose(v -> Future.fromCompletionStage(marks.setAsync(name, lastRead), context))
        .map(v -> new Read(in, lastRead, exhausted, upTo));
    }).andThen(ar -> {
      reading = false;
      if (ar.succeeded() && purges != purgesBefore) {
        journal.remove(ar.result().entries.stream().mapToLong(e -> e.seq).toArray()); // purged meanwhile
      } else if (ar.succeeded() && !stopped.getAsBoolean()) {
        taken(ar.result());
      }
    }).mapEmpty();
  }

  /** What one read brought in; {@code exhausted}: nothing else was stored up to {@code upTo}. */
  private record Read(List<Entry> entries, long last, boolean exhausted, long upTo) {
  }

  private void taken(Read read) {
    long now = node.options().getClock().millis();
    for (Entry e : read.entries) {
      state.hold(e);
      state.add(e, now);
      paged--;
      pagedBytes -= e.envelope.length;
    }
    cursor = read.exhausted ? Math.max(read.last, read.upTo) : read.last;
    inMemoryAbove.headSet(cursor, true).clear();
    if (read.exhausted && read.upTo == confirmed) {
      // Every confirmed message is in memory now: what is left out is on its way to the store. This also mends the
      // counts a new owner estimated from the store (a write-behind not yet committed, a stale owner's late write).
      paged = writing;
      pagedBytes = writingBytes;
    }
    dispatch.run();
    pageIn();
  }

  private static Entry entry(StoredMessage m) {
    String expires = Envelope.decode(m.envelope()).headers().get(SendOptions.EXPIRES_AT_HEADER);
    return new Entry(m.seq(), m.envelope(), m.deliveryCount(), m.dueAt(),
      expires == null ? 0 : Long.parseLong(expires));
  }

  /** @return the paged messages after the ones in memory, for a peek of up to {@code limit} */
  Future<List<Entry>> peek(int limit) {
    if (paged <= 0 || limit <= 0 || cursor >= confirmed) {
      return Future.succeededFuture(List.of());
    }
    long upTo = confirmed;
    return node.store().loadQueue(name, cursor, limit + inMemoryAbove.size()).map(rows -> rows.stream()
      .filter(m -> m.seq() <= upTo && !inMemoryAbove.contains(m.seq())).limit(limit).map(Pager::entry).toList());
  }

  /** Drops the paged messages already confirmed (a purge). @return how many */
  long purge() {
    if (paged <= writing || cursor >= confirmed) {
      return 0;
    }
    purges++;
    long dropped = paged - writing;
    long from = cursor + 1;
    long to = confirmed;
    // Messages above the mark in memory (found by a new owner) may be leased: only the gaps between them go.
    for (long inMemory : inMemoryAbove.subSet(from, true, to, true)) {
      deleteRange(from, inMemory - 1);
      from = inMemory + 1;
    }
    deleteRange(from, to);
    cursor = to;
    paged = writing;
    pagedBytes = writingBytes;
    marks.setAsync(name, to);
    return dropped;
  }

  private void deleteRange(long from, long to) {
    if (from <= to) {
      node.store().deleteQueueRange(name, from, to)
        .onFailure(e -> LOG.warn("queue {}: purge of paged messages not stored: {}", name, e.getMessage()));
    }
  }

  /** Forgets the queue's mark (the queue is deleted). */
  Future<Void> destroy() {
    return HazelcastSupport.onContext(marks.deleteAsync(name), context).mapEmpty();
  }
}
