package dev.ferrymq.bench;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * FerryMQ's load generator ({@code scripts/bench}): runs a workload on a path (in-process Java API, HTTP/SSE against
 * one node, or through a 3-node cluster) for a warm-up and a measured window, {@code --reps} times, printing progress
 * each second, one result line per run, a median line when there are several runs, and JSON with {@code --json}.
 */
public final class Bench {

  private Bench() {
  }

  /** @param args see {@link BenchOptions#USAGE} */
  public static void main(String[] args) throws Exception {
    BenchOptions opts;
    try {
      opts = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<JsonObject> results = switch (opts.path) {
      case "in-process" -> inProcess(opts);
      default -> overHttp(opts);
    };
    if (results.size() > 1) {
      System.out.println(Summary.line(opts, results));
    }
    if (opts.json) {
      System.out.println(results.size() == 1 ? results.get(0).encode() : new JsonArray(results).encode());
    }
    System.exit(0); // child processes are stopped; do not wait for stray non-daemon threads
  }

  private static List<JsonObject> inProcess(BenchOptions opts) throws Exception {
    List<JsonObject> results = new ArrayList<>();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)); // as a node (NodeVertx)
    // A fresh store for each invocation, as the HTTP path's child node gets, so runs never see each other's data.
    Path dataDir = java.nio.file.Files.createTempDirectory("ferrymq-bench-");
    Broker broker = Broker.create(vertx, new BrokerOptions().setStore(new StoreOptions().setDataDir(dataDir.toString())))
      .await();
    try {
      for (int rep = 1; rep <= opts.reps; rep++) {
        Load load = new Load(opts.size, opts.window, InProcessWorkloads.receivers(opts));
        new InProcessWorkloads(broker, opts).start(load).await(60, TimeUnit.SECONDS);
        JsonObject r = Measurement.run(load, opts, List.of(ProcessHandle.current().pid()), unit(opts));
        results.add(r);
        System.out.println(Measurement.line(r, unit(opts)));
        Thread.sleep(500); // let the stopped producer's last messages drain
      }
    } finally {
      broker.close().await(60, TimeUnit.SECONDS);
      vertx.close().await(60, TimeUnit.SECONDS);
      LocalNode.deleteTree(dataDir);
    }
    return results;
  }

  private static List<JsonObject> overHttp(BenchOptions opts) throws Exception {
    Path root = Path.of(System.getProperty("ferrymq.home", ".")).toAbsolutePath();
    List<JsonObject> results = new ArrayList<>();
    if (opts.workload.equals("node")) {
      for (int rep = 1; rep <= opts.reps; rep++) {
        JsonObject r = nodeStartup(root, opts);
        results.add(r);
        System.out.println(String.format(Locale.ROOT, "%s: start to ready %,d ms, idle rss %d MiB; load %s",
          r.getString("label"), r.getLong("startMs"), r.getLong("idleRssMiB"), r.getString("load1")));
      }
      return results;
    }
    Nodes nodes = startNodes(root, opts);
    // The client side gets its own event loops; the server's (local node or cluster) are other processes.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      if (nodes.startMs >= 0) {
        System.err.printf(Locale.ROOT, "  %d node(s) ready in %,d ms: %s%n", nodes.urls.size(), nodes.startMs,
          String.join(" ", nodes.urls));
      }
      for (int rep = 1; rep <= opts.reps; rep++) {
        JsonObject r;
        if (opts.workload.equals("w5")) {
          r = Fanout.run(vertx, nodes, opts);
          System.out.println(Fanout.line(r));
        } else {
          Load load = new Load(opts.size, opts.window, InProcessWorkloads.receivers(opts));
          HttpWorkloads workload = new HttpWorkloads(vertx, nodes, opts);
          workload.start(load).await(120, TimeUnit.SECONDS);
          r = Measurement.run(load, opts, nodes.pids, unit(opts));
          System.out.println(Measurement.line(r, unit(opts)));
          Thread.sleep(500); // let the stopped producer's last messages drain
          workload.stop().await(60, TimeUnit.SECONDS);
        }
        results.add(r.put("urls", new JsonArray(nodes.urls)));
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
      nodes.close();
    }
    return results;
  }

  private static Nodes startNodes(Path root, BenchOptions opts) throws Exception {
    if (!opts.urls.isEmpty()) {
      return Nodes.remote(opts.urls);
    }
    // Room for W5's streams plus the producer's and ackers' connections.
    // One load generator is one client: the per-client limits that guard a node from one abuser are lifted.
    JsonObject gateway = new JsonObject().put("maxConnections", Math.max(10_000, opts.clients + 1000))
      .put("maxStreamsPerClient", Math.max(100, opts.clients + 100)).put("rateLimit", 0);
    JsonObject config = new JsonObject().put("gateway", gateway);
    if (opts.path.equals("cluster")) {
      return LocalCluster.start(root, 3, config);
    }
    return LocalNode.start(root, config);
  }

  /** One single node from spawn to ready, and its RSS 2 s after ready (the peers' method). */
  private static JsonObject nodeStartup(Path root, BenchOptions opts) throws Exception {
    try (Nodes node = LocalNode.start(root, new JsonObject())) {
      Thread.sleep(2000);
      return new JsonObject().put("workload", "node").put("path", opts.path).put("label", "node " + opts.path)
        .put("startMs", node.startMs).put("idleRssMiB", ProcStats.rssKiB(node.pids) / 1024)
        .put("load1", ProcStats.load1());
    }
  }

  private static String unit(BenchOptions opts) {
    return switch (opts.workload) {
      case "w3" -> "deliveries/s";
      case "w4" -> "requests/s";
      case "w5" -> "events/s";
      default -> "msgs/s";
    };
  }
}
