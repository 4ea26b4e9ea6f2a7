package dev.ferrymq.queue;

import dev.ferrymq.cluster.Node;
import dev.ferrymq.queue.QueueState.Entry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in what the previous owner wrote during the hand-over. A write of the previous owner can land after this one
 * loaded the map: Hazelcast retries operations that meet a partition migration on the new partition owner, some
 * hundred milliseconds later. Such messages, numbered below this owner's epoch and unknown here, are taken in.
 */
final class Reconciler {

  // The owner's logger, as before this class was split from it: the log lines read the same.
  private static final Logger LOG = LoggerFactory.getLogger(QueueOwner.class);
  /** When a new owner looks again for writes of the previous one that landed after it loaded. */
  private static final long[] RECONCILE_AFTER_MS = {2_000, 10_000};

  private final Vertx vertx;
  private final String name;
  private final Clock clock;
  private final QueueState state;
  private final QueueJournal journal;
  private final BooleanSupplier stopped;
  private final Runnable dispatch;
  private java.util.function.LongPredicate fromStore = seq -> false;
  /** Messages removed since this owner started, while a reconciliation may still come. */
  private Set<Long> removedSinceStart = new HashSet<>();
  private int reconciliations;

  /** @param stopped whether the owner has stopped @param dispatch the owner's dispatch, run when messages came in */
  Reconciler(Node node, String name, QueueState state, QueueJournal journal, BooleanSupplier stopped,
             Runnable dispatch) {
    this.vertx = node.vertx();
    this.name = name;
    this.clock = node.options().getClock();
    this.state = state;
    this.journal = journal;
    this.stopped = stopped;
    this.dispatch = dispatch;
  }

  /** @param fromStore whether a message is read from the store by the queue's pager (not to be taken in here) */
  void paging(java.util.function.LongPredicate fromStore) {
    this.fromStore = fromStore;
  }

  /**
   * Plans the reconciliations once the owner's epoch is known; the first owner since the cluster started has no
   * previous one. @param firstOwnSeq the first sequence number of this owner's own messages
   */
  void start(long epoch, long firstOwnSeq) {
    if (epoch > 1) {
      for (long delay : RECONCILE_AFTER_MS) {
        vertx.setTimer(delay, id -> reconcile(firstOwnSeq));
      }
    } else {
      removedSinceStart = null;
    }
  }

  /** Notes that message {@code seq} is gone, so a reconciliation to come does not take it in again. */
  void removed(long seq) {
    if (removedSinceStart != null) {
      removedSinceStart.add(seq);
    }
  }

  private void reconcile(long fence) {
    if (stopped.getAsBoolean()) {
      return;
    }
    journal.loadReplicated().onSuccess(entries -> {
      Set<Long> held = state.heldSeqs();
      long now = clock.millis();
      List<Entry> found = new ArrayList<>();
      for (Entry e : entries) {
        if (e.seq < fence && !held.contains(e.seq) && !removedSinceStart.contains(e.seq) && !fromStore.test(e.seq)) {
          state.hold(e);
          state.add(e, now);
          found.add(e);
        }
      }
      if (!found.isEmpty()) {
        journal.keep(found);
        LOG.info("queue {}: took in {} messages the previous owner wrote during the hand-over", name, found.size());
        dispatch.run();
      }
    }).onComplete(ar -> {
      if (++reconciliations == RECONCILE_AFTER_MS.length) {
        removedSinceStart = null; // no reconciliation to come: stop tracking
      }
    });
  }
}
