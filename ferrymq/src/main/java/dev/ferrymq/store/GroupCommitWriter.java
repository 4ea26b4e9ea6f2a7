package dev.ferrymq.store;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread and one connection per store. It takes every write waiting (up to {@code maxBatch} rows), runs them in
 * submission order in one transaction, commits once and then answers each caller: many owners share one fsync.
 * When a batch fails on a broken connection it reconnects and retries once (writes are idempotent); any other
 * failure (disk full, locked, constraint) fails the whole batch: the store checks arguments before queueing, so what
 * fails a batch is the database, not one caller's data.
 */
final class GroupCommitWriter {

  /** Opens a connection with auto-commit off and the schema up to date. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final long IDLE_POLL_MS = 50;

  private final String name;
  private final Connector connector;
  private final int maxBatch;
  private final ArrayBlockingQueue<WriteOp> queue;
  private final Thread thread;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Object lock = new Object();
  private boolean closed;
  private Connection connection;
  private boolean failing;
  private volatile String problem;
  private volatile long commits;
  private volatile long committedOps;
  private volatile CommitObserver observer;

  GroupCommitWriter(String name, Connector connector, int maxBatch, int maxQueued) {
    this.name = name;
    this.connector = connector;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(maxQueued);
    this.thread = new Thread(this::run, "ferrymq-store-writer-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues {@code op}, or fails it at once when the store is closed or too many writes wait. */
  void submit(WriteOp op) {
    boolean accepted;
    synchronized (lock) {
      accepted = !closed && queue.offer(op);
    }
    if (!accepted) {
      op.fail(isClosed() ? "store closed" : "store overloaded: " + queue.size() + " writes waiting");
    }
  }

  /** Tells {@code observer} of every commit from now on. */
  void observe(CommitObserver observer) {
    this.observer = observer;
  }

  /** @return transactions committed so far */
  long commits() {
    return commits;
  }

  /** @return writes committed so far */
  long committedOps() {
    return committedOps;
  }

  /** Stops taking writes; the returned future completes once those already queued are done. */
  CompletableFuture<Void> close() {
    synchronized (lock) {
      closed = true;
    }
    return terminated;
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>();
    try {
      while (true) {
        WriteOp first = poll();
        if (first == null) {
          if (isClosed() && queue.isEmpty()) {
            break;
          }
          continue;
        }
        batch.add(first);
        int rows = first.rows;
        for (WriteOp next = queue.peek(); next != null && rows + next.rows <= maxBatch; next = queue.peek()) {
          batch.add(queue.poll());
          rows += next.rows;
        }
        commit(batch);
        batch.clear();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("store writer {} died", name, e);
      synchronized (lock) {
        closed = true;
      }
      batch.forEach(op -> op.fail("the store's writer stopped (the node's log says why)"));
      queue.forEach(op -> op.fail("the store's writer stopped (the node's log says why)"));
    } finally {
      disconnect();
      terminated.complete(null);
    }
  }

  private WriteOp poll() {
    try {
      return queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }

  private void commit(List<WriteOp> batch) {
    try {
      long start = System.nanoTime();
      apply(batch);
      CommitObserver o = observer;
      if (o != null) {
        o.committed(batch.size(), System.nanoTime() - start);
      }
      succeed(batch);
    } catch (SQLException | RuntimeException e) {
      if (dropIfBroken(e)) {
        retry(batch, e);
      } else {
        fail(batch, e);
      }
    }
  }

  private void succeed(List<WriteOp> batch) {
    batch.forEach(WriteOp::succeed);
    commits++;
    committedOps += batch.size();
    recovered();
  }

  /** One more try of a batch that failed on a broken connection, on a new one. */
  private void retry(List<WriteOp> batch, Exception first) {
    try {
      apply(batch);
      succeed(batch);
    } catch (SQLException | RuntimeException e) {
      dropIfBroken(e);
      e.addSuppressed(first);
      fail(batch, e);
    }
  }

  private void apply(List<WriteOp> batch) throws SQLException {
    Connection c = connection();
    try {
      String sql = null;
      PreparedStatement ps = null;
      for (WriteOp op : batch) {
        for (WriteOp.Step step : op.steps) {
          if (!step.sql().equals(sql)) {
            if (ps != null) {
              ps.executeBatch();
            }
            sql = step.sql();
            ps = statement(c, sql);
          }
          step.binder().bind(ps);
        }
      }
      if (ps != null) {
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      closeStatements();
      try {
        c.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = connector.connect();
    }
    return connection;
  }

  private PreparedStatement statement(Connection c, String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** @return true if the connection is gone (or never came), after closing what is left of it */
  private boolean dropIfBroken(Exception e) {
    if (connection == null) {
      return true;
    }
    boolean broken = e instanceof SQLException s && s.getSQLState() != null
      && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"));
    try {
      broken = broken || connection.isClosed() || !connection.isValid(2);
    } catch (SQLException v) {
      broken = true;
    }
    if (broken) {
      disconnect();
    }
    return broken;
  }

  private void disconnect() {
    closeStatements();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("store {}: closing the connection failed: {}", name, e.toString());
      }
      connection = null;
    }
  }

  private void closeStatements() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.debug("store {}: closing a statement failed: {}", name, e.toString());
      }
    }
    statements.clear();
  }

  private void fail(List<WriteOp> ops, Exception e) {
    String message = "store " + name + " unavailable: " + describe(e);
    problem = message;
    if (!failing) {
      failing = true;
      LOG.warn("{}", message);
      LOG.debug("store {}: writes failing", name, e);
    }
    ops.forEach(op -> op.fail(message));
  }

  /** @return the cause in a few words, without the SQL and values a batch error quotes */
  static String describe(Exception e) {
    Exception cause = e instanceof BatchUpdateException b && b.getNextException() != null ? b.getNextException() : e;
    String text = String.valueOf(cause.getMessage());
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** @return why the last commit failed while none succeeded since, or {@code null} */
  String problem() {
    return problem;
  }

  private void recovered() {
    problem = null;
    if (failing) {
      failing = false;
      LOG.info("store {}: writes succeed again", name);
    }
  }
}
