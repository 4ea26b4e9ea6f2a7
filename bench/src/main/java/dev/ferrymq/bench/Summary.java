package dev.ferrymq.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The line after several runs: the median and min–max of the main figure, median latencies. */
final class Summary {

  private Summary() {
  }

  static String line(BenchOptions opts, List<JsonObject> runs) {
    if (opts.workload.equals("node")) {
      return String.format(Locale.ROOT, "%s, median of %d: start to ready %,d ms (%,d–%,d), idle rss %d MiB",
        opts.label(), runs.size(), median(runs, "startMs"), min(runs, "startMs"), max(runs, "startMs"),
        median(runs, "idleRssMiB"));
    }
    if (opts.workload.equals("rejoin")) {
      return String.format(Locale.ROOT, "%s, median of %d: JVM start to ready %,d ms (%,d–%,d), to first confirmed "
        + "owner operation %,d ms (%,d–%,d); dead member removed %,d ms after the kill, kill to ready %,d ms",
        opts.label(), runs.size(), median(runs, "readyMs"), min(runs, "readyMs"), max(runs, "readyMs"),
        median(runs, "ownerOpMs"), min(runs, "ownerOpMs"), max(runs, "ownerOpMs"), median(runs, "memberRemovedMs"),
        median(runs, "killToReadyMs")) + "\n  medians of node's log: " + Rejoin.stepsLine(medianSteps(runs));
    }
    String s = String.format(Locale.ROOT, "%s, median of %d: %,d (%,d–%,d) per s, p50 %s, p99 %s",
      opts.label(), runs.size(), median(runs, "msgsPerSec"), min(runs, "msgsPerSec"), max(runs, "msgsPerSec"),
      Measurement.time(median(runs, "p50Us")), Measurement.time(median(runs, "p99Us")));
    List<Double> cpu = runs.stream().map(r -> r.getDouble("serverCpuMsPer1k")).filter(x -> x != null).sorted()
      .toList();
    if (!cpu.isEmpty()) {
      s += String.format(Locale.ROOT, "; server %.1f cpu-ms per 1,000", cpu.get(cpu.size() / 2));
    }
    if (opts.workload.equals("w5")) {
      s += String.format(Locale.ROOT, "; reach-all p50 %s, p99 %s", Measurement.time(median(runs, "reachAllP50Us")),
        Measurement.time(median(runs, "reachAllP99Us")));
    }
    return s;
  }

  private static JsonObject medianSteps(List<JsonObject> runs) {
    JsonObject out = new JsonObject();
    for (String k : List.of("config", "joined", "vertx", "broker", "gateway", "ready")) {
      List<Long> v = runs.stream().map(r -> r.getJsonObject("steps", new JsonObject()).getLong(k))
        .filter(x -> x != null).sorted().toList();
      if (!v.isEmpty()) {
        out.put(k, v.get(v.size() / 2));
      }
    }
    return out;
  }

  static long median(List<JsonObject> runs, String key) {
    List<Long> v = runs.stream().map(r -> r.getLong(key)).filter(x -> x != null).sorted().toList();
    return v.isEmpty() ? -1 : v.get(v.size() / 2);
  }

  private static long min(List<JsonObject> runs, String key) {
    return runs.stream().map(r -> r.getLong(key)).filter(x -> x != null).min(Long::compare).orElse(-1L);
  }

  private static long max(List<JsonObject> runs, String key) {
    return runs.stream().map(r -> r.getLong(key)).filter(x -> x != null).max(Long::compare).orElse(-1L);
  }
}
