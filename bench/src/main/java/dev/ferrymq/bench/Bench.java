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
 * each second, one result line per run, a median line when there are several runs, and JSON with {@code --json}. A
 * list of workloads runs them one after the other on one broker or node, as the peers' scripts do on one server.
 */
public final class Bench {

  private Bench() {
  }

  /** @param args see {@link BenchOptions#USAGE} */
  public static void main(String[] args) throws Exception {
    List<BenchOptions> runs;
    try {
      runs = BenchOptions.parseAll(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (runs.get(0).workload.equals("mem")) {
      JsonObject r = MemoryPerMessage.run(runs.get(0));
      System.out.println(MemoryPerMessage.line(r));
      report(runs.get(0), List.of(r));
    } else if (runs.get(0).path.equals("in-process")) {
      inProcess(runs);
    } else {
      overHttp(runs);
    }
    System.exit(0); // child processes are stopped; do not wait for stray non-daemon threads
  }

  /** Prints the median line of a workload's runs, when there are several, and their JSON with {@code --json}. */
  private static void report(BenchOptions opts, List<JsonObject> results) {
    if (results.size() > 1) {
      System.out.println(Summary.line(opts, results));
    }
    if (opts.json) {
      System.out.println(results.size() == 1 ? results.get(0).encode() : new JsonArray(results).encode());
    }
  }

  private static void inProcess(List<BenchOptions> runs) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)); // as a node (NodeVertx)
    // A fresh store for each invocation, as the HTTP path's child node gets, so runs never see each other's data.
    Path dataDir = java.nio.file.Files.createTempDirectory("ferrymq-bench-");
    BrokerOptions options = new BrokerOptions().setStore(new StoreOptions().setDataDir(dataDir.toString()));
    if (runs.get(0).metrics) {
      options.setMeterRegistry(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
    }
    Broker broker = Broker.create(vertx, options).await();
    try {
      for (BenchOptions opts : runs) {
        List<JsonObject> results = new ArrayList<>();
        for (int rep = 1; rep <= opts.reps; rep++) {
          Load load = new Load(opts.size, opts.window, InProcessWorkloads.receivers(opts));
          new InProcessWorkloads(broker, opts).start(load).await(60, TimeUnit.SECONDS);
          JsonObject r = Measurement.run(load, opts, List.of(ProcessHandle.current().pid()), unit(opts));
          results.add(r);
          System.out.println(Measurement.line(r, unit(opts)));
          Thread.sleep(500); // let the stopped producer's last messages drain
        }
        report(opts, results);
      }
    } finally {
      broker.close().await(60, TimeUnit.SECONDS);
      vertx.close().await(60, TimeUnit.SECONDS);
      LocalNode.deleteTree(dataDir);
    }
  }

  private static void overHttp(List<BenchOptions> runs) throws Exception {
    Path root = Path.of(System.getProperty("ferrymq.home", ".")).toAbsolutePath();
    BenchOptions first = runs.get(0);
    if (first.workload.equals("w6")) {
      report(first, Backlog.run(root, first));
      return;
    }
    if (first.workload.equals("rejoin")) {
      report(first, Rejoin.run(root, first));
      return;
    }
    if (first.workload.equals("node")) {
      List<JsonObject> results = new ArrayList<>();
      for (int rep = 1; rep <= first.reps; rep++) {
        JsonObject r = nodeStartup(root, first);
        results.add(r);
        System.out.println(String.format(Locale.ROOT, "%s: start to ready %,d ms, idle rss %d MiB; load %s",
          r.getString("label"), r.getLong("startMs"), r.getLong("idleRssMiB"), r.getString("load1")));
      }
      report(first, results);
      return;
    }
    Nodes nodes = startNodes(root, runs);
    // The client side gets its own event loops; the server's (local node or cluster) are other processes.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      if (nodes.startMs >= 0) {
        System.err.printf(Locale.ROOT, "  %d node(s) ready in %,d ms: %s%n", nodes.urls.size(), nodes.startMs,
          String.join(" ", nodes.urls));
      }
      for (BenchOptions opts : runs) {
        List<JsonObject> results = new ArrayList<>();
        for (int rep = 1; rep <= opts.reps; rep++) {
          results.add(runOverHttp(vertx, nodes, opts).put("urls", new JsonArray(nodes.urls)));
        }
        report(opts, results);
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
      nodes.close();
    }
  }

  private static JsonObject runOverHttp(Vertx vertx, Nodes nodes, BenchOptions opts) throws Exception {
    if (opts.workload.equals("w5")) {
      JsonObject r = Fanout.run(vertx, nodes, opts);
      System.out.println(Fanout.line(r));
      return r;
    }
    Load load = new Load(opts.size, opts.window, InProcessWorkloads.receivers(opts));
    HttpWorkloads workload = new HttpWorkloads(vertx, nodes, opts);
    workload.start(load).await(120, TimeUnit.SECONDS);
    JsonObject r = Measurement.run(load, opts, nodes.pids, unit(opts));
    if (nodes.urls.size() > 1) {
      r.put("ownerNode", ownerNode(nodes, workload.destination()));
    }
    System.out.println(Measurement.line(r, unit(opts)));
    Thread.sleep(500); // let the stopped producer's last messages drain
    workload.stop().await(60, TimeUnit.SECONDS);
    return r;
  }

  /**
   * @return which node (1-based, in the order of {@code nodes.urls}) owns {@code destination}, from each node's
   * {@code GET /cluster}, or 0 when unknown
   */
  private static int ownerNode(Nodes nodes, String destination) {
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String owner = null;
      List<String> ids = new ArrayList<>();
      for (String url : nodes.urls) {
        JsonObject c = new JsonObject(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url
          + "/cluster")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        ids.add(c.getString("node"));
        owner = owner != null ? owner : c.getJsonObject("owners", new JsonObject()).getString(destination);
      }
      return ids.indexOf(owner) + 1;
    } catch (Exception e) {
      return 0;
    }
  }

  private static Nodes startNodes(Path root, List<BenchOptions> runs) throws Exception {
    BenchOptions opts = runs.get(0);
    if (!opts.urls.isEmpty()) {
      return Nodes.remote(opts.urls);
    }
    // Room for W5's streams plus the producer's and ackers' connections.
    // One load generator is one client: the per-client limits that guard a node from one abuser are lifted.
    int clients = runs.stream().mapToInt(o -> o.clients).max().orElse(opts.clients);
    JsonObject gateway = new JsonObject().put("maxConnections", Math.max(10_000, clients + 1000))
      .put("maxStreamsPerClient", Math.max(100, clients + 100)).put("rateLimit", 0);
    if (runs.stream().anyMatch(o -> o.h2)) {
      // h2c for the load generator; streams per connection above the producer's share of its confirm window
      gateway.put("http2", new JsonObject().put("cleartext", true).put("maxConcurrentStreams", 1000));
    }
    JsonObject config = new JsonObject().put("gateway", gateway);
    if (opts.path.equals("cluster")) {
      return LocalCluster.start(root, 3, config, opts.portOffset);
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
