package dev.ferrymq.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The timed part of a run: warm-up, then the measured window, with progress on stderr every second and the server's
 * CPU and peak RSS sampled every 250 ms. Server CPU per message is the CPU time of all the server's processes (every
 * node of a cluster) over the window, from {@code /proc}, divided by the messages received in it. Messages/s count messages received by consumers (summed over subscribers)
 * in the measured window, as the peers' load generator does.
 */
final class Measurement {

  private Measurement() {
  }

  /**
   * @param serverPids processes whose CPU and RSS are the server's (empty: not local; this JVM for in-process)
   * @return the result as JSON; the caller prints it
   */
  static JsonObject run(Load load, BenchOptions opts, List<Long> serverPids, String unit) throws InterruptedException {
    long self = ProcessHandle.current().pid();
    int total = opts.warm + opts.secs;
    long before = 0;
    long start = System.nanoTime();
    long cpu0 = 0;
    long[] nodeCpu0 = new long[serverPids.size()];
    long clientCpu0 = 0;
    long peakRss = 0;
    for (int tick = 1; tick <= total * 4; tick++) {
      Thread.sleep(250); // the load generator's own pacing
      if (tick > opts.warm * 4) {
        peakRss = Math.max(peakRss, ProcStats.rssKiB(serverPids));
      }
      if (tick % 4 != 0) {
        continue;
      }
      int s = tick / 4;
      if (s == opts.warm) {
        before = load.totalReceived();
        load.measuring = true;
        cpu0 = ProcStats.cpuNanos(serverPids);
        for (int i = 0; i < nodeCpu0.length; i++) {
          nodeCpu0[i] = ProcStats.cpuNanos(serverPids.get(i));
        }
        clientCpu0 = ProcStats.cpuNanos(self);
        start = System.nanoTime();
      }
      String progress = "warming up";
      if (s > opts.warm) {
        long rate = (long) ((load.totalReceived() - before) / ((System.nanoTime() - start) / 1e9));
        progress = String.format(Locale.ROOT, "%,d %s so far", rate, unit);
      }
      System.err.printf(Locale.ROOT, "  [%d/%d s] %s%s%n", s, total, progress,
        load.errors.get() > 0 ? " (" + load.errors.get() + " errors)" : "");
    }
    load.measuring = false;
    double secs = (System.nanoTime() - start) / 1e9;
    long received = load.totalReceived() - before;
    load.stopping = true;
    long serverCpu = serverPids.isEmpty() ? -1 : ProcStats.cpuNanos(serverPids) - cpu0;
    long clientCpu = ProcStats.cpuNanos(self) - clientCpu0;
    JsonArray perNode = new JsonArray();
    if (serverPids.size() > 1 && received > 0) {
      for (int i = 0; i < nodeCpu0.length; i++) {
        perNode.add(Math.round((ProcStats.cpuNanos(serverPids.get(i)) - nodeCpu0[i]) / 1e6 / (received / 1000.0)));
      }
    }
    return new JsonObject()
      .put("workload", opts.workload).put("path", opts.path).put("label", opts.label()).put("rate", opts.rate)
      .put("msgsPerSec", Math.round(received / secs)).put("received", received).put("errors", load.errors.get())
      .put("p50Us", pct(load, 50)).put("p99Us", pct(load, 99)).put("p999Us", pct(load, 99.9))
      .put("maxUs", load.latency.getMaxValue() / 1000)
      .put("serverCpuPercent", serverCpu < 0 ? null : Math.round(100.0 * serverCpu / (secs * 1e9)))
      .put("serverCpuMsPer1k", serverCpu < 0 || received == 0 ? null
        : Math.round(serverCpu / 1e6 / (received / 1000.0) * 10) / 10.0)
      .put("nodeCpuMsPer1k", perNode.isEmpty() ? null : perNode)
      .put("serverPeakRssMiB", peakRss <= 0 ? null : peakRss / 1024)
      .put("clientCpuPercent", Math.round(100.0 * clientCpu / (secs * 1e9)))
      .put("load1", ProcStats.load1());
  }

  private static long pct(Load load, double p) {
    synchronized (load.latency) {
      return load.latency.getValueAtPercentile(p) / 1000;
    }
  }

  /** @return the result line, e.g. {@code W1 in-process: 52,310 msgs/s (p50 …, p99 …, …)} */
  static String line(JsonObject r, String unit) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %,d %s (p50 %s, p99 %s, p99.9 %s, max %s",
      r.getString("label"), r.getLong("msgsPerSec"), unit, time(r.getLong("p50Us")), time(r.getLong("p99Us")),
      time(r.getLong("p999Us")), time(r.getLong("maxUs"))));
    if (r.getLong("serverCpuPercent") != null) {
      sb.append(String.format(Locale.ROOT, "; server cpu %d%%, rss %d MiB", r.getLong("serverCpuPercent"),
        r.getLong("serverPeakRssMiB")));
      if (r.getDouble("serverCpuMsPer1k") != null) {
        sb.append(String.format(Locale.ROOT, ", %.1f cpu-ms per 1,000", r.getDouble("serverCpuMsPer1k")));
        JsonArray perNode = r.getJsonArray("nodeCpuMsPer1k");
        if (perNode != null) {
          sb.append(" (nodes ").append(perNode.stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(" + ")));
          if (r.getInteger("ownerNode", 0) > 0) {
            sb.append("; owner on node ").append(r.getInteger("ownerNode"));
          }
          sb.append(')');
        }
      }
    }
    sb.append(String.format(Locale.ROOT, "; client cpu %d%%", r.getLong("clientCpuPercent")));
    if (r.getLong("errors") > 0) {
      sb.append("; ").append(r.getLong("errors")).append(" errors");
    }
    return sb.append("; load ").append(r.getString("load1")).append(')').toString();
  }

  static String time(Long micros) {
    if (micros == null) {
      return "-";
    }
    return micros < 1000 ? micros + " µs" : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }
}
