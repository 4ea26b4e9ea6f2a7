package dev.ferrymq.spi;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Durable storage under the queue and topic owners. Writes from every caller go through one writer per store that
 * commits whatever is waiting in one transaction (group commit); a write's future succeeds only after its
 * transaction committed. Operations submitted by one thread or context are applied in that order. Every failure
 * (store down, disk full, too many writes waiting, closed) is a failed future with {@link dev.ferrymq.UnavailableException};
 * the store keeps running and recovers by itself when the database is back. Futures complete on the caller's
 * Vert.x context. Writes are idempotent (an insert of an existing seq overwrites it), so a caller may retry one
 * whose outcome it does not know.
 *
 * <p>FerryMQ's own stores (SQLite, PostgreSQL) are chosen with {@link dev.ferrymq.StoreOptions}; another one is
 * plugged in with {@link dev.ferrymq.BrokerOptions#setMessageStore(MessageStore)}. {@code StoreContractTest} in the
 * {@code dev.ferrymq:ferrymq:tests} jar is what every store must pass: extend it with your store's {@code open}.
 */
public interface MessageStore {

  /** The kinds of destination a store keeps options and sequences for. */
  enum Kind {
    /** A queue. */
    QUEUE,
    /** A topic. */
    TOPIC,
    /** Records of the node itself, kept with {@link #saveOptions} (the cluster size it last saw, for recovery). */
    NODE
  }

  /**
   * @return whether every node of a cluster reaches the same data (a shared database). A store that is not shared is
   *     a node's own journal: a new owner of a destination writes a snapshot of it there ({@link #replaceQueue},
   *     {@link #replaceTopic}) before confirming anything new, and a full restart recovers each destination from the
   *     journal with the highest epoch. Default: not shared
   */
  default boolean shared() {
    return false;
  }

  /**
   * Replaces every message of {@code queue} with {@code messages} and records {@code epoch} as its journal's epoch, in
   * one transaction: a new owner's snapshot of what it took over.
   */
  Future<Void> replaceQueue(String queue, long epoch, List<StoredMessage> messages);

  /**
   * Replaces {@code topic}'s history with {@code history}, remembers {@code lastSeq} as its last seq and records
   * {@code epoch} as its journal's epoch, in one transaction.
   */
  Future<Void> replaceTopic(String topic, long epoch, long lastSeq, List<StoredMessage> history);

  /** @return the epoch of the last snapshot of this queue or topic written here ({@link #replaceQueue}), 0 if none */
  Future<Long> epoch(Kind kind, String name);

  /** Stores messages of {@code queue} (ready, delayed or in flight). */
  Future<Void> insertQueueMessages(String queue, List<StoredMessage> messages);

  /** Records a message's new delivery count and due time (on nack, lease expiry); envelope unchanged. */
  Future<Void> updateQueueMessage(String queue, long seq, int deliveryCount, long dueAt);

  /** Removes messages of {@code queue} (acked, moved to another queue, purged); unknown seqs are ignored. */
  Future<Void> deleteQueueMessages(String queue, long[] seqs);

  /** @return every message of {@code queue}, in seq order */
  Future<List<StoredMessage>> loadQueue(String queue);

  /**
   * A paged read: the queue's messages with a seq above {@code afterSeq}, at most {@code limit}, in seq order. A
   * paging queue reads its backlog this way as its consumers drain the part in memory, so a store should answer it
   * from an index on (queue, seq) without reading what comes before. The default filters {@link #loadQueue(String)}.
   */
  default Future<List<StoredMessage>> loadQueue(String queue, long afterSeq, int limit) {
    return loadQueue(queue).map(all -> all.stream().filter(m -> m.seq() > afterSeq).limit(Math.max(0, limit))
      .toList());
  }

  /**
   * @return how many messages of {@code queue} with a seq above {@code afterSeq} are stored, their envelopes' bytes
   *     and the highest seq. The default counts {@link #loadQueue(String)}
   */
  default Future<StoredExtent> queueExtent(String queue, long afterSeq) {
    return loadQueue(queue).map(all -> {
      long n = 0;
      long bytes = 0;
      long last = 0;
      for (StoredMessage m : all) {
        if (m.seq() > afterSeq) {
          n++;
          bytes += m.envelope().length;
          last = Math.max(last, m.seq());
        }
      }
      return new StoredExtent(n, bytes, last);
    });
  }

  /**
   * Removes the messages of {@code queue} whose seq is between {@code fromSeq} and {@code toSeq}, both included (a
   * purge of a paged backlog). The default reads their seqs with {@link #loadQueue(String, long, int)} and removes
   * them with {@link #deleteQueueMessages}.
   */
  default Future<Void> deleteQueueRange(String queue, long fromSeq, long toSeq) {
    if (fromSeq > toSeq) {
      return Future.succeededFuture();
    }
    return loadQueue(queue, fromSeq - 1, Integer.MAX_VALUE).compose(rows -> deleteQueueMessages(queue,
      rows.stream().mapToLong(StoredMessage::seq).filter(s -> s <= toSeq).toArray()));
  }

  /** Appends messages to {@code topic}'s history. */
  Future<Void> insertTopicMessages(String topic, List<StoredMessage> messages);

  /** @return the last {@code lastN} messages of {@code topic}'s history, in seq order */
  Future<List<StoredMessage>> loadTopic(String topic, int lastN);

  /** @return the highest seq ever stored for {@code topic}, even if trimmed since; 0 if none */
  Future<Long> lastTopicSeq(String topic);

  /** Drops {@code topic}'s history before {@code keepFromSeq}; {@link #lastTopicSeq} still remembers the last seq. */
  Future<Void> trimTopic(String topic, long keepFromSeq);

  /** Stores the options (JSON text) of a queue or topic. */
  Future<Void> saveOptions(Kind kind, String name, String json);

  /** @return the options of every queue or topic of that kind, by name: the destinations to reload on start */
  Future<Map<String, String>> loadOptions(Kind kind);

  /** Removes a queue or topic: its messages, options and sequence. */
  Future<Void> delete(Kind kind, String name);

  /**
   * @return why writes fail now (the last commit failed and none succeeded since: disk full, read-only, database
   *     down), in words for an operator; {@code null} while they succeed. The node is not ready meanwhile
   */
  default String problem() {
    return null;
  }

  /** Commits the writes already submitted, then closes; later calls fail. */
  Future<Void> close();
}
