package dev.ferrymq.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench rejoin}: how soon a node killed with -9 and started again serves and owns its share. Starts 3
 * nodes with {@code scripts/cluster}, puts a message on 30 queues (so that each node owns some), then per rep: kill -9
 * of node 2, {@code scripts/cluster start-node 2}, and from the new JVM's start (its process start time) the time to
 * {@code /health/ready} = 200 and to the first confirmed send ({@code 201}) through node 2 to a queue that node 2
 * owns by then ({@code GET /cluster}). Between reps it waits until all three nodes are ready again.
 */
final class Rejoin {

  private static final int NODES = 3;
  private static final int VICTIM = 2;
  private static final int QUEUES = 30;
  private static final long TIMEOUT_MS = 120_000;

  private final Path root;
  private final BenchOptions opts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private Rejoin(Path root, BenchOptions opts) {
    this.root = root;
    this.opts = opts;
  }

  /** Runs {@code --reps} rejoins on one cluster; prints a line per rep. @return each rep's figures */
  static List<JsonObject> run(Path root, BenchOptions opts) throws Exception {
    return new Rejoin(root, opts).run();
  }

  private String url(int node, String path) {
    return "http://127.0.0.1:" + (8080 + opts.portOffset + node) + path;
  }

  private List<JsonObject> run() throws Exception {
    List<JsonObject> results = new ArrayList<>();
    try (Nodes nodes = LocalCluster.start(root, NODES, new JsonObject(), opts.portOffset)) {
      System.err.printf(Locale.ROOT, "  %d nodes ready in %,d ms: %s%n", NODES, nodes.startMs,
        String.join(" ", nodes.urls));
      for (int q = 0; q < QUEUES; q++) {
        expect(send("POST", url(1, "/queues/rejoin-" + q + "/messages"), "x"), 201);
      }
      for (int rep = 1; rep <= opts.reps; rep++) {
        awaitAllReady();
        Thread.sleep(2000); // let the previous rep's migrations settle
        JsonObject r = once();
        results.add(r);
        System.out.println(String.format(Locale.ROOT, "%s: JVM start to ready %,d ms, to first confirmed owner "
            + "operation %,d ms (%s); dead member removed %,d ms after the kill, kill to ready %,d ms; load %s",
          opts.label(), r.getLong("readyMs"), r.getLong("ownerOpMs"), r.getString("queue"),
          r.getLong("memberRemovedMs"), r.getLong("killToReadyMs"), r.getString("load1")));
        System.out.println("  node " + VICTIM + "'s log: " + stepsLine(r.getJsonObject("steps")));
      }
    }
    return results;
  }

  private JsonObject once() throws Exception {
    long oldPid = LocalCluster.pid(root, opts.portOffset, VICTIM);
    ProcessHandle old = ProcessHandle.of(oldPid).orElseThrow(() -> new IOException("node " + VICTIM + " is gone"));
    String oldId = new JsonObject(expect(send("GET", url(VICTIM, "/health/ready"), null), 200).body()).getString("node");
    Instant kill = Instant.now();
    old.destroyForcibly(); // SIGKILL
    // Meanwhile: when node 1 no longer lists the dead member (Hazelcast removed it).
    java.util.concurrent.CompletableFuture<Instant> removed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      long until = System.currentTimeMillis() + TIMEOUT_MS;
      try {
        while (System.currentTimeMillis() < until) {
          HttpResponse<String> c = send("GET", url(1, "/cluster"), null);
          if (c != null && c.statusCode() == 200 && !c.body().contains(oldId)) {
            return Instant.now();
          }
          Thread.sleep(10);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    old.onExit().get(10, TimeUnit.SECONDS);
    ProcessBuilder pb = LocalCluster.command(root, opts.portOffset, "start-node", Integer.toString(VICTIM));
    pb.environment().put("FERRYMQ_NODE_ARGS", "");
    Process starter = pb.start();
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    // The new node's process: the PID file scripts/cluster writes as it starts it (scripts/ferrymq execs java).
    ProcessHandle node = null;
    while (node == null) {
      check(deadline, "node " + VICTIM + " has no new PID file");
      try {
        long pid = LocalCluster.pid(root, opts.portOffset, VICTIM);
        if (pid != oldPid) {
          node = ProcessHandle.of(pid).orElse(null);
        }
      } catch (IOException | NumberFormatException e) {
        // not written yet
      }
      Thread.sleep(5);
    }
    Instant jvmStart = node.info().startInstant().orElseThrow();
    String nodeId = null;
    Instant ready = null;
    while (ready == null) {
      check(deadline, "node " + VICTIM + " not ready");
      HttpResponse<String> r = send("GET", url(VICTIM, "/health/ready"), null);
      if (r != null && r.statusCode() == 200) {
        ready = Instant.now();
        nodeId = new JsonObject(r.body()).getString("node");
      } else {
        Thread.sleep(25);
      }
    }
    Instant ownerOp = null;
    String queue = null;
    while (ownerOp == null) {
      check(deadline, "node " + VICTIM + " owns no queue");
      HttpResponse<String> c = send("GET", url(VICTIM, "/cluster"), null);
      if (c != null && c.statusCode() == 200) {
        JsonObject owners = new JsonObject(c.body()).getJsonObject("owners", new JsonObject());
        for (String key : owners.fieldNames()) {
          if (key.startsWith("queue:rejoin-") && nodeId.equals(owners.getString(key))) {
            queue = key.substring("queue:".length());
            break;
          }
        }
      }
      if (queue != null) {
        HttpResponse<String> s = send("POST", url(VICTIM, "/queues/" + queue + "/messages"), "rejoin");
        if (s != null && s.statusCode() == 201) {
          ownerOp = Instant.now();
          break;
        }
      }
      Thread.sleep(25);
    }
    if (!starter.waitFor(60, TimeUnit.SECONDS) || starter.exitValue() != 0) {
      throw new IOException("scripts/cluster start-node " + VICTIM + " failed");
    }
    Instant removedAt = removed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    JsonObject steps = steps(LocalCluster.state(root, opts.portOffset).resolve("node-" + VICTIM + ".log"));
    return new JsonObject().put("workload", "rejoin").put("steps", steps).put("path", opts.path).put("label", opts.label())
      .put("readyMs", Duration.between(jvmStart, ready).toMillis())
      .put("ownerOpMs", Duration.between(jvmStart, ownerOp).toMillis())
      .put("killToStartMs", Duration.between(kill, jvmStart).toMillis())
      .put("memberRemovedMs", removedAt == null ? null : Duration.between(kill, removedAt).toMillis())
      .put("killToReadyMs", Duration.between(kill, ready).toMillis())
      .put("queue", queue).put("load1", ProcStats.load1());
  }

  private static final java.util.regex.Pattern STARTED = java.util.regex.Pattern.compile("started in \\d+ ms after JVM "
    + "start: Hazelcast config read at (\\d+) ms, member joined at (\\d+) ms, Vert.x up at (\\d+) ms, broker at (\\d+) ms, "
    + "gateway listening at (\\d+) ms");
  private static final java.util.regex.Pattern READY = java.util.regex.Pattern.compile("ready: .*\\((\\d+) ms after JVM start\\)");
  private static final String[] STEPS = {"config", "joined", "vertx", "broker", "gateway"};

  /** @return the node's own start-up timeline from its log (ms of JVM uptime), as far as it logged it */
  static JsonObject steps(Path log) {
    JsonObject steps = new JsonObject();
    try {
      String text = java.nio.file.Files.readString(log);
      java.util.regex.Matcher m = STARTED.matcher(text);
      if (m.find()) {
        for (int i = 0; i < STEPS.length; i++) {
          steps.put(STEPS[i], Long.parseLong(m.group(i + 1)));
        }
      }
      m = READY.matcher(text);
      if (m.find()) {
        steps.put("ready", Long.parseLong(m.group(1)));
      }
    } catch (IOException | RuntimeException e) {
      // no log, or another format: no steps
    }
    return steps;
  }

  /** @return "config 0.8, joined 1.8, ... s" */
  static String stepsLine(JsonObject steps) {
    StringBuilder out = new StringBuilder();
    for (String k : steps.fieldNames()) {
      out.append(out.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.2f", steps.getLong(k) / 1000.0));
    }
    return out.append(" s of JVM uptime").toString();
  }

  private void awaitAllReady() throws Exception {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    for (int i = 1; i <= NODES; i++) {
      while (true) {
        HttpResponse<String> r = send("GET", url(i, "/health/ready"), null);
        if (r != null && r.statusCode() == 200) {
          break;
        }
        check(deadline, "node " + i + " not ready");
        Thread.sleep(100);
      }
    }
  }

  private static void check(long deadline, String what) throws IOException {
    if (System.currentTimeMillis() > deadline) {
      throw new IOException(what + " after " + TIMEOUT_MS / 1000 + " s");
    }
  }

  /** @return the response, or {@code null} when nothing listens yet or it did not answer in time */
  private HttpResponse<String> send(String method, String uri, String body) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
      .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    }
  }

  private static HttpResponse<String> expect(HttpResponse<String> r, int status) throws IOException {
    if (r == null || r.statusCode() != status) {
      throw new IOException("expected " + status + ", got " + (r == null ? "no answer" : r.statusCode() + " " + r.body()));
    }
    return r;
  }
}
