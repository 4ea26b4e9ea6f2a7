package dev.ferrymq.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredExtent;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store over JDBC, shared by the dialects: writes go to one {@link GroupCommitWriter}, loads to a small pool of
 * reader connections on a worker thread. Subclasses only say how to connect.
 */
abstract class JdbcStore implements MessageStore {

  private static final String INSERT_QUEUE = "INSERT INTO fmq_queue_messages (queue, seq, envelope, delivery_count,"
    + " due_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (queue, seq) DO UPDATE SET envelope = excluded.envelope,"
    + " delivery_count = excluded.delivery_count, due_at = excluded.due_at";
  private static final String UPDATE_QUEUE =
    "UPDATE fmq_queue_messages SET delivery_count = ?, due_at = ? WHERE queue = ? AND seq = ?";
  private static final String DELETE_QUEUE =
    "DELETE FROM fmq_queue_messages WHERE queue = ? AND seq >= ? AND seq <= ?";
  private static final String LOAD_QUEUE =
    "SELECT seq, envelope, delivery_count, due_at FROM fmq_queue_messages WHERE queue = ? ORDER BY seq";
  /** A page of a queue: a range scan of the primary key (queue, seq), so it costs the page, not the backlog. */
  private static final String LOAD_QUEUE_PAGE = "SELECT seq, envelope, delivery_count, due_at FROM fmq_queue_messages"
    + " WHERE queue = ? AND seq > ? ORDER BY seq LIMIT ?";
  private static final String QUEUE_EXTENT = "SELECT COUNT(*), COALESCE(SUM(LENGTH(envelope)), 0),"
    + " COALESCE(MAX(seq), 0) FROM fmq_queue_messages WHERE queue = ? AND seq > ?";
  private static final String INSERT_TOPIC = "INSERT INTO fmq_topic_messages (topic, seq, envelope) VALUES (?, ?, ?)"
    + " ON CONFLICT (topic, seq) DO UPDATE SET envelope = excluded.envelope";
  private static final String LOAD_TOPIC =
    "SELECT seq, envelope FROM fmq_topic_messages WHERE topic = ? ORDER BY seq DESC LIMIT ?";
  /** Remembers a topic's highest seq before a trim may delete it. */
  private static final String KEEP_TOPIC_SEQ = "INSERT INTO fmq_sequences (kind, name, last_seq)"
    + " SELECT 'topic', topic, MAX(seq) FROM fmq_topic_messages WHERE topic = ? GROUP BY topic"
    + " ON CONFLICT (kind, name) DO UPDATE SET last_seq = excluded.last_seq"
    + " WHERE fmq_sequences.last_seq < excluded.last_seq";
  private static final String TRIM_TOPIC = "DELETE FROM fmq_topic_messages WHERE topic = ? AND seq < ?";
  private static final String LAST_TOPIC_SEQ = "SELECT MAX(m) FROM (SELECT MAX(seq) AS m FROM fmq_topic_messages"
    + " WHERE topic = ? UNION ALL SELECT last_seq AS m FROM fmq_sequences WHERE kind = 'topic' AND name = ?) s";
  private static final String SAVE_OPTIONS = "INSERT INTO fmq_options (kind, name, json) VALUES (?, ?, ?)"
    + " ON CONFLICT (kind, name) DO UPDATE SET json = excluded.json";
  private static final String LOAD_OPTIONS = "SELECT name, json FROM fmq_options WHERE kind = ?";
  private static final String DELETE_OPTIONS = "DELETE FROM fmq_options WHERE kind = ? AND name = ?";
  private static final String DELETE_SEQUENCE = "DELETE FROM fmq_sequences WHERE kind = ? AND name = ?";
  private static final String DELETE_ALL_QUEUE = "DELETE FROM fmq_queue_messages WHERE queue = ?";
  private static final String DELETE_ALL_TOPIC = "DELETE FROM fmq_topic_messages WHERE topic = ?";
  private static final String SAVE_SEQUENCE = "INSERT INTO fmq_sequences (kind, name, last_seq) VALUES (?, ?, ?)"
    + " ON CONFLICT (kind, name) DO UPDATE SET last_seq = excluded.last_seq";
  private static final String LOAD_SEQUENCE = "SELECT last_seq FROM fmq_sequences WHERE kind = ? AND name = ?";

  /** Sets a query's parameters. */
  interface Params {
    void set(PreparedStatement ps) throws SQLException;
  }

  /** Maps the current row of a result. */
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  protected final Vertx vertx;
  protected final StoreOptions options;
  private final String name;
  private GroupCommitWriter writer;
  private HikariDataSource readers;

  protected JdbcStore(Vertx vertx, StoreOptions options, String name) {
    this.vertx = vertx;
    this.options = options;
    this.name = name;
  }

  /** @return a new writer connection (auto-commit off does not matter: the caller sets it) */
  protected abstract Connection openConnection() throws SQLException;

  /** @return the reader pool's settings: URL, driver and credentials */
  protected abstract HikariConfig readerConfig();

  /** @return the SQL type of binary columns */
  protected abstract String blobType();

  /** Keeps other nodes from migrating the schema at the same time, until the current transaction ends. */
  protected void lockSchema(Connection c) throws SQLException {
  }

  /** Starts the writer and completes once it has connected and migrated the schema. */
  Future<MessageStore> start() {
    HikariConfig config = readerConfig();
    config.setPoolName("ferrymq-store-readers-" + name);
    config.setMaximumPoolSize(options.getPoolSize());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(3000);
    config.setInitializationFailTimeout(-1);
    readers = new HikariDataSource(config);
    writer = new GroupCommitWriter(name, this::connect, options.getMaxBatch(), options.getMaxQueuedWrites());
    writer.start();
    return write(List.of()).map(this);
  }

  private Connection connect() throws SQLException {
    Connection c = openConnection();
    try {
      c.setAutoCommit(false);
      lockSchema(c);
      Schema.migrate(c, blobType());
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private Future<Void> write(List<WriteOp.Step> steps) {
    WriteOp op = new WriteOp(vertx.getOrCreateContext(), steps);
    writer.submit(op);
    return op.future();
  }

  @Override
  public String problem() {
    return writer == null ? null : writer.problem();
  }

  /** @return the group-commit writer (counters for benchmarks and metrics) */
  GroupCommitWriter writer() {
    return writer;
  }

  /** Runs a query with a reader connection on a worker thread; any failure is an {@link UnavailableException}. */
  private <T> Future<List<T>> select(String sql, Params params, Row<T> row) {
    return vertx.<List<T>>executeBlocking(() -> {
      try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        params.set(ps);
        ps.setFetchSize(1000);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row.map(rs));
          }
        }
        return out;
      }
    }, false).recover(e -> Future.failedFuture(
      new UnavailableException("store " + name + " unavailable: " + e.getMessage())));
  }

  private static WriteOp.Step step(String sql, int rows, WriteOp.Binder binder) {
    return new WriteOp.Step(sql, rows, binder);
  }

  private static String kind(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static WriteOp.Step insertQueue(String queue, List<StoredMessage> messages) {
    return step(INSERT_QUEUE, messages.size(), ps -> {
      for (StoredMessage m : messages) {
        ps.setString(1, queue);
        ps.setLong(2, m.seq());
        ps.setBytes(3, m.envelope());
        ps.setInt(4, m.deliveryCount());
        ps.setLong(5, m.dueAt());
        ps.addBatch();
      }
    });
  }

  private static WriteOp.Step insertTopic(String topic, List<StoredMessage> messages) {
    return step(INSERT_TOPIC, messages.size(), ps -> {
      for (StoredMessage m : messages) {
        ps.setString(1, topic);
        ps.setLong(2, m.seq());
        ps.setBytes(3, m.envelope());
        ps.addBatch();
      }
    });
  }

  /** A step deleting every row of {@code sql}'s table for one name. */
  private static WriteOp.Step byName(String sql, String name) {
    return step(sql, 1, ps -> {
      ps.setString(1, name);
      ps.addBatch();
    });
  }

  @Override
  public Future<Void> insertQueueMessages(String queue, List<StoredMessage> messages) {
    return Args.checked(() -> messages.isEmpty() ? Future.succeededFuture()
      : write(List.of(insertQueue(queue, messages))), queue, messages);
  }

  @Override
  public Future<Void> updateQueueMessage(String queue, long seq, int deliveryCount, long dueAt) {
    return Args.checked(() -> write(List.of(step(UPDATE_QUEUE, 1, ps -> {
      ps.setInt(1, deliveryCount);
      ps.setLong(2, dueAt);
      ps.setString(3, queue);
      ps.setLong(4, seq);
      ps.addBatch();
    }))), queue);
  }

  @Override
  public Future<Void> deleteQueueMessages(String queue, long[] seqs) {
    return Args.checked(() -> {
      long[] copy = seqs.clone();
      // Acks come mostly in order: one statement per run of consecutive seqs instead of one per message.
      java.util.Arrays.sort(copy);
      return copy.length == 0 ? Future.succeededFuture() : write(List.of(step(DELETE_QUEUE, copy.length, ps -> {
        for (int i = 0; i < copy.length; ) {
          int j = i;
          while (j + 1 < copy.length && copy[j + 1] <= copy[j] + 1) {
            j++;
          }
          ps.setString(1, queue);
          ps.setLong(2, copy[i]);
          ps.setLong(3, copy[j]);
          ps.addBatch();
          i = j + 1;
        }
      })));
    }, queue, seqs);
  }

  @Override
  public Future<List<StoredMessage>> loadQueue(String queue) {
    return Args.checked(() -> select(LOAD_QUEUE, ps -> ps.setString(1, queue),
      rs -> new StoredMessage(rs.getLong(1), rs.getBytes(2), rs.getInt(3), rs.getLong(4))), queue);
  }

  @Override
  public Future<List<StoredMessage>> loadQueue(String queue, long afterSeq, int limit) {
    return Args.checked(() -> select(LOAD_QUEUE_PAGE, ps -> {
      ps.setString(1, queue);
      ps.setLong(2, afterSeq);
      ps.setInt(3, Math.max(0, limit));
    }, rs -> new StoredMessage(rs.getLong(1), rs.getBytes(2), rs.getInt(3), rs.getLong(4))), queue);
  }

  @Override
  public Future<StoredExtent> queueExtent(String queue, long afterSeq) {
    return Args.checked(() -> select(QUEUE_EXTENT, ps -> {
      ps.setString(1, queue);
      ps.setLong(2, afterSeq);
    }, rs -> new StoredExtent(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
      .map(rows -> rows.isEmpty() ? StoredExtent.EMPTY : rows.get(0)), queue);
  }

  @Override
  public Future<Void> deleteQueueRange(String queue, long fromSeq, long toSeq) {
    return Args.checked(() -> fromSeq > toSeq ? Future.succeededFuture()
      : write(List.of(step(DELETE_QUEUE, 1, ps -> {
        ps.setString(1, queue);
        ps.setLong(2, fromSeq);
        ps.setLong(3, toSeq);
        ps.addBatch();
      }))), queue);
  }

  @Override
  public Future<Void> insertTopicMessages(String topic, List<StoredMessage> messages) {
    return Args.checked(() -> messages.isEmpty() ? Future.succeededFuture()
      : write(List.of(insertTopic(topic, messages))), topic, messages);
  }

  @Override
  public Future<List<StoredMessage>> loadTopic(String topic, int lastN) {
    return Args.checked(() -> select(LOAD_TOPIC, ps -> {
      ps.setString(1, topic);
      ps.setInt(2, Math.max(0, lastN));
    }, rs -> StoredMessage.of(rs.getLong(1), rs.getBytes(2))).map(newestFirst -> {
      Collections.reverse(newestFirst);
      return newestFirst;
    }), topic);
  }

  @Override
  public Future<Long> lastTopicSeq(String topic) {
    return Args.checked(() -> select(LAST_TOPIC_SEQ, ps -> {
      ps.setString(1, topic);
      ps.setString(2, topic);
    }, rs -> rs.getLong(1)).map(max -> max.isEmpty() ? 0L : max.get(0)), topic);
  }

  @Override
  public Future<Void> trimTopic(String topic, long keepFromSeq) {
    return Args.checked(() -> write(List.of(
      step(KEEP_TOPIC_SEQ, 1, ps -> {
        ps.setString(1, topic);
        ps.addBatch();
      }),
      step(TRIM_TOPIC, 1, ps -> {
        ps.setString(1, topic);
        ps.setLong(2, keepFromSeq);
        ps.addBatch();
      }))), topic);
  }

  @Override
  public Future<Void> saveOptions(Kind kind, String name, String json) {
    return Args.checked(() -> write(List.of(step(SAVE_OPTIONS, 1, ps -> {
      ps.setString(1, kind(kind));
      ps.setString(2, name);
      ps.setString(3, json);
      ps.addBatch();
    }))), kind, name, json);
  }

  @Override
  public Future<Map<String, String>> loadOptions(Kind kind) {
    return Args.checked(() -> select(LOAD_OPTIONS, ps -> ps.setString(1, kind(kind)),
      rs -> Map.entry(rs.getString(1), rs.getString(2)))
      .map(rows -> {
        Map<String, String> out = new HashMap<>();
        rows.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
      }), kind);
  }

  @Override
  public Future<Void> delete(Kind kind, String name) {
    return Args.checked(() -> {
      WriteOp.Binder byName = ps -> {
        ps.setString(1, name);
        ps.addBatch();
      };
      WriteOp.Binder byKindAndName = ps -> {
        ps.setString(1, kind(kind));
        ps.setString(2, name);
        ps.addBatch();
      };
      if (kind == Kind.NODE) {
        return write(List.of(step(DELETE_OPTIONS, 1, byKindAndName)));
      }
      return write(List.of(
        step(kind == Kind.QUEUE ? DELETE_ALL_QUEUE : DELETE_ALL_TOPIC, 1, byName),
        step(DELETE_OPTIONS, 1, byKindAndName),
        step(DELETE_SEQUENCE, 1, byKindAndName),
        step(DELETE_SEQUENCE, 1, ps -> {
          ps.setString(1, epochKind(kind));
          ps.setString(2, name);
          ps.addBatch();
        })));
    }, kind, name);
  }

  /** The kind of the row in {@code fmq_sequences} that holds a destination's journal epoch. */
  private static String epochKind(Kind kind) {
    return kind(kind) + "-epoch";
  }

  private static WriteOp.Step sequence(String kind, String name, long value) {
    return step(SAVE_SEQUENCE, 1, ps -> {
      ps.setString(1, kind);
      ps.setString(2, name);
      ps.setLong(3, value);
      ps.addBatch();
    });
  }

  @Override
  public Future<Void> replaceQueue(String queue, long epoch, List<StoredMessage> messages) {
    return Args.checked(() -> {
      List<WriteOp.Step> steps = new ArrayList<>();
      steps.add(byName(DELETE_ALL_QUEUE, queue));
      if (!messages.isEmpty()) {
        steps.add(insertQueue(queue, messages));
      }
      steps.add(sequence(epochKind(Kind.QUEUE), queue, epoch));
      return write(steps);
    }, queue, messages);
  }

  @Override
  public Future<Void> replaceTopic(String topic, long epoch, long lastSeq, List<StoredMessage> history) {
    return Args.checked(() -> {
      List<WriteOp.Step> steps = new ArrayList<>();
      steps.add(byName(DELETE_ALL_TOPIC, topic));
      if (!history.isEmpty()) {
        steps.add(insertTopic(topic, history));
      }
      steps.add(sequence(kind(Kind.TOPIC), topic, lastSeq));
      steps.add(sequence(epochKind(Kind.TOPIC), topic, epoch));
      return write(steps);
    }, topic, history);
  }

  @Override
  public Future<Long> epoch(Kind kind, String name) {
    return Args.checked(() -> select(LOAD_SEQUENCE, ps -> {
      ps.setString(1, epochKind(kind));
      ps.setString(2, name);
    }, rs -> rs.getLong(1)).map(rows -> rows.isEmpty() ? 0L : rows.get(0)), kind, name);
  }

  @Override
  public Future<Void> close() {
    if (writer == null) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(writer.close(), vertx.getOrCreateContext())
      .compose(v -> vertx.executeBlocking(() -> {
        readers.close();
        return null;
      }, false));
  }
}
