package dev.ferrymq.bench;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench mem}: the heap and resident memory a queued message takes in a queue's in-memory window, in this JVM:
 * {@code --count} messages of {@code --size} bytes sent to one stored queue whose page window holds them all, used
 * heap (after full collections) and RSS before and after, per message and as a multiple of the payload.
 */
final class MemoryPerMessage {

  private MemoryPerMessage() {
  }

  static JsonObject run(BenchOptions opts) throws Exception {
    int n = (int) opts.count;
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("ferrymq-bench-mem-");
    Broker broker = Broker.create(vertx, new BrokerOptions().setMemoryHighWatermark(1.0)
      .setPageWindowBytes(Long.MAX_VALUE / 4).setStore(new StoreOptions().setDataDir(dir.toString()))).await();
    try {
      Queue q = broker.queue("mem-probe");
      q.configure(new QueueOptions().setPageWindow(n + 1)).await();
      q.send(Buffer.buffer("warm-up")).await();
      long heap0 = usedHeap();
      long rss0 = ProcStats.rssKiB(ProcessHandle.current().pid());
      for (int i = 0; i < n; i += 500) {
        List<Future<String>> sends = new ArrayList<>();
        for (int j = 0; j < Math.min(500, n - i); j++) {
          sends.add(q.send(Buffer.buffer(new byte[opts.size])));
        }
        Future.all(sends).await(60, TimeUnit.SECONDS);
      }
      long heap = usedHeap() - heap0;
      long rss = (ProcStats.rssKiB(ProcessHandle.current().pid()) - rss0) * 1024;
      long paged = q.stats().await().paged();
      return new JsonObject().put("workload", "mem").put("count", n).put("size", opts.size).put("paged", paged)
        .put("heapPerMessage", heap / n).put("rssPerMessage", rss / n).put("heapRatio", (double) heap / n / opts.size)
        .put("rssRatio", (double) rss / n / opts.size)
        .put("accountPerMessage", broker.memory().heldBytes() / (n + 1));
    } finally {
      broker.close().await(60, TimeUnit.SECONDS);
      vertx.close().await(60, TimeUnit.SECONDS);
      LocalNode.deleteTree(dir);
    }
  }

  static String line(JsonObject r) {
    return String.format(Locale.ROOT, "mem: %,d queued messages of %d B in the window (%d paged): heap %,d B each"
        + " (%.2f x the payload), RSS %,d B each (%.2f x), memory account %,d B each", r.getInteger("count"),
      r.getInteger("size"), r.getLong("paged"), r.getLong("heapPerMessage"), r.getDouble("heapRatio"),
      r.getLong("rssPerMessage"), r.getDouble("rssRatio"), r.getLong("accountPerMessage"));
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // let the collection settle; this is the harness, not an event loop
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
