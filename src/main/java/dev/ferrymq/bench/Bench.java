package dev.ferrymq.bench;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * FerryMQ's load generator ({@code scripts/bench}): runs a workload for a warm-up and a measured window, printing
 * progress each second and one result line (plus JSON with {@code --json}). Messages/s count messages received by
 * consumers (summed over subscribers) in the measured window, as the peers' load generator does.
 */
public final class Bench {

  private Bench() {
  }

  /** @param args see {@link BenchOptions#parse} */
  public static void main(String[] args) throws Exception {
    BenchOptions opts;
    try {
      opts = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Broker broker = Broker.create(vertx, new BrokerOptions()).await();
    try {
      JsonObject result = run(broker, opts);
      if (opts.json) {
        System.out.println(result.encode());
      }
    } finally {
      broker.close().await();
      vertx.close().await();
    }
  }

  static JsonObject run(Broker broker, BenchOptions opts) throws InterruptedException {
    Load load = new Load(opts.size, opts.window, InProcessWorkloads.receivers(opts));
    new InProcessWorkloads(broker, opts).start(load).await();
    long cpu0 = cpuNanos();
    long start = System.nanoTime();
    long total = opts.warm + opts.secs;
    long before = 0;
    for (int s = 1; s <= total; s++) {
      Thread.sleep(1000); // the load generator's own pacing, not a test
      if (s == opts.warm) {
        before = load.totalReceived();
        load.measuring = true;
        cpu0 = cpuNanos();
        start = System.nanoTime();
      }
      long rate = s > opts.warm ? (long) ((load.totalReceived() - before) / ((System.nanoTime() - start) / 1e9)) : 0;
      System.err.printf(Locale.ROOT, "  [%d/%d s] %s%n", s, total,
        s > opts.warm ? String.format(Locale.ROOT, "%,d msgs/s so far", rate) : "warming up");
    }
    load.measuring = false;
    double secs = (System.nanoTime() - start) / 1e9;
    long received = load.totalReceived() - before;
    double cpuPct = 100.0 * (cpuNanos() - cpu0) / (secs * 1e9);
    load.stopping = true;
    double rate = received / secs;
    JsonObject result = new JsonObject()
      .put("workload", opts.workload).put("path", opts.path).put("rate", opts.rate)
      .put("msgsPerSec", Math.round(rate)).put("received", received).put("errors", load.errors.get())
      .put("p50Us", pct(load, 50)).put("p99Us", pct(load, 99)).put("p999Us", pct(load, 99.9))
      .put("maxUs", load.latency.getMaxValue() / 1000).put("cpuPercent", Math.round(cpuPct))
      .put("rssMiB", rssMiB()).put("load1", load1());
    System.out.printf(Locale.ROOT, "%s: %,d msgs/s (p50 %s, p99 %s, p99.9 %s, max %s; cpu %d%%, rss %d MiB)%n",
      opts.label(), Math.round(rate), ms(pct(load, 50)), ms(pct(load, 99)), ms(pct(load, 99.9)),
      ms(load.latency.getMaxValue() / 1000), Math.round(cpuPct), rssMiB());
    return result;
  }

  private static long pct(Load load, double p) {
    synchronized (load.latency) {
      return load.latency.getValueAtPercentile(p) / 1000;
    }
  }

  private static String ms(long micros) {
    return micros < 1000 ? micros + " µs" : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return -1;
  }

  private static String load1() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
