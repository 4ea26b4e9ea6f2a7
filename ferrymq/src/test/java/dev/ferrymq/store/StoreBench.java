package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows per second through {@link MessageStore} (not a test). For each store: inserts and deletes with one write of
 * B rows in flight (so B rows per commit), and 1-row inserts from 16 concurrent writers (group commit merges them).
 * 1 KiB rows, medians of 3 runs. Run: see docs/PERSISTENCE.md.
 */
public final class StoreBench {

  private static final int RUNS = 3;
  private static final byte[] PAYLOAD = new byte[1024];
  private static final AtomicLong NEXT_QUEUE = new AtomicLong();

  private StoreBench() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("ferrymq-bench");
    if (args.length > 0 && args[0].equals("snapshot")) {
      snapshots(vertx, new StoreOptions().setDataDir(dir.toString()));
      vertx.close().await(30, TimeUnit.SECONDS);
      return;
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      bench("sqlite", vertx, new StoreOptions().setDataDir(dir.toString()));
      bench("postgres", vertx, PostgresStoreTest.options(pg));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static void bench(String name, Vertx vertx, StoreOptions options) throws Exception {
    MessageStore store = Stores.open(vertx, options).await(60, TimeUnit.SECONDS);
    for (int batch : new int[] {1, 10, 100, 1000}) {
      int rows = batch == 1 ? 3_000 : batch == 10 ? 20_000 : 50_000;
      double[] inserts = new double[RUNS];
      double[] deletes = new double[RUNS];
      for (int r = 0; r < RUNS; r++) {
        String queue = "bench-" + NEXT_QUEUE.incrementAndGet();
        inserts[r] = rate(rows, () -> sequential(vertx, rows, batch, (from, n) ->
          store.insertQueueMessages(queue, rows(from, n))));
        deletes[r] = rate(rows, () -> sequential(vertx, rows, batch, (from, n) ->
          store.deleteQueueMessages(queue, seqs(from, n))));
      }
      System.out.printf("%-8s B=%-5d insert %8.0f rows/s  delete %8.0f rows/s%n", name, batch, median(inserts),
        median(deletes));
    }
    double[] grouped = new double[RUNS];
    GroupCommitWriter writer = ((JdbcStore) store).writer();
    long commits = writer.commits();
    long ops = writer.committedOps();
    for (int r = 0; r < RUNS; r++) {
      String queue = "bench-" + NEXT_QUEUE.incrementAndGet();
      grouped[r] = rate(20_000, () -> concurrent(vertx, store, queue, 16, 20_000));
    }
    System.out.printf("%-8s 16 writers x 1 row (group commit): %8.0f rows/s, %.1f writes per commit%n", name,
      median(grouped), (writer.committedOps() - ops) / (double) (writer.commits() - commits));
    store.close().await(30, TimeUnit.SECONDS);
  }

  /** A new owner's snapshot into its own journal ({@code replaceQueue}) as queue depth grows: the take-over cost. */
  private static void snapshots(Vertx vertx, StoreOptions options) throws Exception {
    MessageStore store = Stores.open(vertx, options).await(60, TimeUnit.SECONDS);
    for (int depth : new int[] {1_000, 10_000, 100_000}) {
      double[] ms = new double[RUNS];
      String queue = "snapshot-" + depth;
      store.insertQueueMessages(queue, rows(0, depth)).await(120, TimeUnit.SECONDS); // what an earlier owner left
      for (int r = 0; r < RUNS; r++) {
        long t0 = System.nanoTime();
        store.replaceQueue(queue, r + 2, rows(r, depth)).await(300, TimeUnit.SECONDS);
        ms[r] = (System.nanoTime() - t0) / 1e6;
      }
      System.out.printf("sqlite   snapshot of %,7d messages of 1 KiB: %8.1f ms (median of %d)%n", depth, median(ms),
        RUNS);
    }
    store.close().await(30, TimeUnit.SECONDS);
  }

  interface Write {
    Future<Void> apply(long from, int n);
  }

  interface Run {
    Future<Void> start();
  }

  private static double rate(int rows, Run run) throws Exception {
    long t0 = System.nanoTime();
    run.start().await(10, TimeUnit.MINUTES);
    return rows / ((System.nanoTime() - t0) / 1e9);
  }

  /** One write of {@code batch} rows at a time, from a Vert.x context, until {@code rows} are done. */
  private static Future<Void> sequential(Vertx vertx, int rows, int batch, Write write) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> step(0, rows, batch, write, done));
    return done.future();
  }

  private static void step(long from, int rows, int batch, Write write, Promise<Void> done) {
    if (from >= rows) {
      done.complete();
      return;
    }
    int n = (int) Math.min(batch, rows - from);
    write.apply(from, n).onSuccess(v -> step(from + n, rows, batch, write, done)).onFailure(done::fail);
  }

  /** {@code writers} contexts, each with one 1-row insert in flight. */
  private static Future<Void> concurrent(Vertx vertx, MessageStore store, String queue, int writers, int rows) {
    List<Future<Void>> all = new ArrayList<>();
    int each = rows / writers;
    for (int w = 0; w < writers; w++) {
      long base = (long) w * each;
      Promise<Void> done = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> step(0, each, 1,
        (from, n) -> store.insertQueueMessages(queue, rows(base + from, n)), done));
      all.add(done.future());
    }
    return Future.all(all).mapEmpty();
  }

  private static List<StoredMessage> rows(long from, int n) {
    List<StoredMessage> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(StoredMessage.of(from + i, PAYLOAD));
    }
    return out;
  }

  private static long[] seqs(long from, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = from + i;
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
