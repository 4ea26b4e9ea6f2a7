package dev.ferrymq.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W6 backlog: a node with a small heap ({@code --heap}, 512m) takes {@code --count} messages of {@code --size} bytes
 * into one queue with no consumer, then consumers drain it. Reports the fill and drain rates, the node's peak
 * resident memory in each phase (sampled from /proc every 200 ms), and checks that every confirmed message was
 * delivered, each once, and that the node is still alive (no OutOfMemoryError). Publishes go in JSON batches of up to
 * 100 messages (at most 512 KiB a request); a refused message (503 memory alarm, 429) is sent again after a pause.
 */
final class Backlog {

  private static final String QUEUE = "w6";
  private static final int PRODUCERS = 8;
  private static final int CONSUMERS = 4;

  private final BenchOptions opts;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(10)).build();
  private final BitSet confirmed = new BitSet();
  private final BitSet delivered = new BitSet();
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private String url;

  private Backlog(BenchOptions opts) {
    this.opts = opts;
  }

  static List<JsonObject> run(Path root, BenchOptions opts) throws Exception {
    // The heap, after the caller's own FERRYMQ_JAVA_OPTS (e.g. a flight recording), which it would otherwise replace.
    Map<String, String> env = Map.of("FERRYMQ_JAVA_OPTS",
      (System.getenv().getOrDefault("FERRYMQ_JAVA_OPTS", "") + " -Xmx" + opts.heap).trim());
    JsonObject config = new JsonObject().put("gateway", new JsonObject().put("rateLimit", 0));
    if (!opts.paging) {
      config.put("broker", new JsonObject().put("pageWindow", Integer.MAX_VALUE).put("pageWindowBytes", 1L << 40));
    }
    try (Nodes node = LocalNode.start(root, config, env)) {
      Backlog b = new Backlog(opts);
      b.url = node.urls.get(0);
      long pid = node.pids.get(0);
      JsonObject r = b.measure(pid);
      System.out.println(line(r));
      return List.of(r);
    }
  }

  private JsonObject measure(long pid) throws Exception {
    long[] peak = new long[1];
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak[0] = Math.max(peak[0], ProcStats.rssKiB(pid));
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "w6-rss");
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    runAll(PRODUCERS, this::produce);
    long fillNs = System.nanoTime() - t0;
    long fillPeak = peak[0];
    long depth = new JsonObject(get("/queues/" + QUEUE)).getLong("depth");
    peak[0] = 0;
    long t1 = System.nanoTime();
    runAll(CONSUMERS, this::consume);
    long drainNs = System.nanoTime() - t1;
    sampler.interrupt();
    int count = confirmed.cardinality();
    BitSet missing = (BitSet) confirmed.clone();
    missing.andNot(delivered);
    return new JsonObject().put("workload", "w6")
      .put("label", "w6 backlog " + opts.count + " x " + opts.size + " B" + (opts.paging ? "" : " (no paging)"))
      .put("heap", opts.heap).put("confirmed", count).put("depthAfterFill", depth)
      .put("delivered", delivered.cardinality()).put("missing", missing.cardinality())
      .put("duplicates", duplicates.get()).put("refusals", refusals.get())
      .put("fillRate", count * 1e9 / fillNs).put("fillMiBs", (double) count * opts.size / (1 << 20) * 1e9 / fillNs)
      .put("drainRate", delivered.cardinality() * 1e9 / drainNs)
      .put("fillPeakRssMiB", fillPeak / 1024).put("drainPeakRssMiB", peak[0] / 1024)
      .put("nodeAlive", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
      .put("load1", ProcStats.load1());
  }

  static String line(JsonObject r) {
    return String.format(Locale.ROOT, "%s (-Xmx%s): fill %,.0f msgs/s (%.1f MiB/s), drain %,.0f msgs/s; confirmed %d,"
        + " depth %d, delivered %d, missing %d, duplicates %d, refused and resent %d; peak RSS fill %d MiB,"
        + " drain %d MiB; node alive %s; load %s", r.getString("label"), r.getString("heap"), r.getDouble("fillRate"),
      r.getDouble("fillMiBs"), r.getDouble("drainRate"), r.getInteger("confirmed"), r.getLong("depthAfterFill"),
      r.getInteger("delivered"), r.getInteger("missing"), r.getLong("duplicates"), r.getLong("refusals"),
      r.getLong("fillPeakRssMiB"), r.getLong("drainPeakRssMiB"), r.getBoolean("nodeAlive"), r.getString("load1"));
  }

  private interface Task {
    void run() throws Exception;
  }

  private static void runAll(int n, Task task) throws Exception {
    List<Thread> threads = new ArrayList<>();
    Exception[] failure = new Exception[1];
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        try {
          task.run();
        } catch (Exception e) {
          failure[0] = e;
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private String payload(long i) {
    StringBuilder s = new StringBuilder(opts.size).append('i').append(i).append(';');
    while (s.length() < opts.size) {
      s.append('x');
    }
    return s.toString();
  }

  private void produce() throws Exception {
    int batch = Math.max(1, Math.min(100, (512 << 10) / opts.size));
    List<Long> pending = new ArrayList<>();
    while (true) {
      while (pending.size() < batch) {
        long i = next.getAndIncrement();
        if (i >= opts.count) {
          break;
        }
        pending.add(i);
      }
      if (pending.isEmpty()) {
        return;
      }
      JsonArray body = new JsonArray();
      pending.forEach(i -> body.add(new JsonObject().put("data", payload(i))));
      HttpResponse<String> resp = post("/queues/" + QUEUE + "/messages/batch", body.encode());
      List<Long> failed = new ArrayList<>();
      if (resp.statusCode() / 100 == 2) {
        record(confirmed, pending);
      } else if (resp.statusCode() == 429 || resp.statusCode() == 503) {
        JsonArray outcomes = new JsonObject(resp.body()).getJsonArray("messages", new JsonArray());
        List<Long> ok = new ArrayList<>();
        for (int k = 0; k < pending.size(); k++) {
          JsonObject o = k < outcomes.size() ? outcomes.getJsonObject(k) : null;
          (o != null && o.containsKey("id") ? ok : failed).add(pending.get(k));
        }
        record(confirmed, ok);
        refusals.addAndGet(failed.size());
        Thread.sleep(200); // Retry-After: 1; the consumers are not running yet, so only the alarm's gap clears it
      } else {
        throw new IllegalStateException("publish: " + resp.statusCode() + " " + resp.body());
      }
      pending = failed;
    }
  }

  private void consume() throws Exception {
    long idleSince = System.nanoTime();
    while (System.nanoTime() - idleSince < Duration.ofSeconds(30).toNanos()) {
      synchronized (delivered) {
        if (delivered.cardinality() >= confirmed.cardinality()) {
          return;
        }
      }
      HttpResponse<String> resp = post("/queues/" + QUEUE + "/leases?max=100&wait=2s", "");
      if (resp.statusCode() == 204) {
        continue;
      }
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("receive: " + resp.statusCode() + " " + resp.body());
      }
      idleSince = System.nanoTime();
      JsonArray deliveries = new JsonArray(resp.body());
      JsonArray leases = new JsonArray();
      List<Long> got = new ArrayList<>();
      for (int k = 0; k < deliveries.size(); k++) {
        JsonObject d = deliveries.getJsonObject(k);
        String data = d.getString("data");
        got.add(Long.parseLong(data.substring(1, data.indexOf(';'))));
        leases.add(d.getString("leaseId"));
      }
      synchronized (delivered) {
        for (long i : got) {
          if (delivered.get((int) i)) {
            duplicates.incrementAndGet();
          }
          delivered.set((int) i);
        }
      }
      HttpResponse<String> acked = post("/queues/" + QUEUE + "/acks", leases.encode());
      if (acked.statusCode() != 204) {
        throw new IllegalStateException("acks: " + acked.statusCode() + " " + acked.body());
      }
    }
  }

  private static void record(BitSet set, List<Long> indexes) {
    synchronized (set) {
      indexes.forEach(i -> set.set((int) (long) i));
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }
}
