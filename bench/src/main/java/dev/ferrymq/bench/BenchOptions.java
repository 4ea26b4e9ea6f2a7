package dev.ferrymq.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@code scripts/bench}, with the defaults of the peers' workload definitions. */
final class BenchOptions {

  static final String USAGE = """
    usage: bench <w1|w2|w3|w4|w5|lat|node>[,<workload>...] [path] [options]
           bench rejoin [--reps 5] [--port-offset K]
           bench w6 [--count 65536] [--size 65536] [--heap 512m] [--no-paging]
           bench mem [--count 50000] [--size 1024]
      mem: heap and RSS per queued message in a queue's in-memory window (in this JVM)
      w6: backlog: a node (-Xmx --heap) takes --count messages of --size bytes into one queue with no consumer,
          then 4 consumers drain it; fill and drain rates, peak RSS, every confirmed message delivered once
          (--no-paging: a page window larger than the backlog, to compare with all in memory)
      rejoin: 3 nodes with scripts/cluster, then per rep kill -9 of node 2 and scripts/cluster start-node 2; times
              from that JVM's start to /health/ready = 200 and to its first confirmed send to a queue it owns
              (--port-offset K: ports 8080+K+I and 5700+K+I, away from other Hazelcast members on 5701+)
      a comma-separated list runs its workloads one after the other on one broker (in-process) or one node, as the
      peers' scripts run theirs on one server: w1,w2,w3,w4,lat
      path (default in-process for w1-w4; w5 and node always start or use a node):
        --http               over HTTP/SSE against a node the harness starts (child JVM on a free port)
        --url URL            over HTTP/SSE against a running node (start it with --echo bench.echo for w4)
        --cluster            over HTTP/SSE through 3 nodes started with scripts/cluster (producer on node 1,
                             consumers on node 2); --port-offset K moves their ports as for rejoin
        --urls URL,URL,...   the same through running nodes (producer on the first, consumers on the second)
      options:
        --secs 8 --warm 2 --size 1024 --window 1000 --cwin 256 --rate R (fixed msgs/s; lat = w1 --rate 1000)
        --durability sync|async|memory (W1; sync by default)
        --subs 10 (w3)  --conc 1 (w4)  --reps 1 (runs, then a median line)  --json
        --metrics (in-process: the broker reports to a Prometheus registry, as a node does; off by default)
        --conns 32 --pipeline 1 (HTTP producer connections, requests pipelined on each; w1: --cwin; BENCHMARKS.md)
        --batch 1 (HTTP publishes: up to N messages per POST .../messages/batch; 1 = one POST each)
        --h2 (the producer over HTTP/2 without TLS, prior knowledge: --conns 4 connections by default, many streams
              in flight on each; the consumer stays on HTTP/1.1; the harness's node gets gateway.http2.cleartext,
              a --url node must have it)
        --ack batch|single (HTTP acks: POST /queues/{q}/acks per stream chunk, or one POST per message)
        --clients 1000 --samples 20 (w5: SSE connections, messages timed to reach all)
        --mercure (w5: through the Mercure hub, /.well-known/mercure, instead of GET /topics/{t}/events)
        --partitions 1 (HTTP w1/w2/w3: the queue or topic is created with K partitions, round-robin sends)""";

  String workload;
  String path = "in-process";
  List<String> urls = List.of();
  int secs = 8;
  int warm = 2;
  int size = 1024;
  int subs = 10;
  int concurrency = 1;
  int window = 1000;
  int confirmWindow = 256;
  int rate;
  /** W1's durability (sync unless set): compares sync, async and memory on the same workload. */
  dev.ferrymq.Durability durability = dev.ferrymq.Durability.SYNC;
  int reps = 1;
  int connections = 32;
  int pipelining = 1;
  /** Most messages per HTTP publish: more than 1 posts them to {@code .../messages/batch}. */
  int batch = 1;
  boolean ackBatch = true;
  int clients = 1000;
  int samples = 20;
  /** w6: messages in the backlog, and the node's heap. */
  long count = 65_536;
  String heap = "512m";
  boolean paging = true;
  /** HTTP paths: the partitions of the loaded queue or topic. */
  int partitions = 1;
  /** rejoin and --cluster: what scripts/cluster adds to every port ({@code FERRYMQ_PORT_OFFSET}). */
  int portOffset;
  boolean json;
  /** HTTP/2 (h2c, prior knowledge) instead of HTTP/1.1. */
  boolean h2;
  /** In-process: the broker reports its metrics to a Prometheus registry (to measure what metrics cost). */
  boolean metrics;
  /** W5 through the Mercure hub ({@code /.well-known/mercure}) instead of the topic's own SSE route. */
  boolean mercure;
  /** The workloads run before this one on the same broker or node (a list on the command line), or empty. */
  String after = "";
  private boolean windowSet;
  private boolean sizeSet;
  private boolean countSet;
  private boolean connectionsSet;

  /** @return the options of each workload of {@code args[0]}, a comma-separated list, in order */
  static List<BenchOptions> parseAll(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException(USAGE);
    }
    String[] workloads = args[0].split(",", -1);
    List<BenchOptions> all = new ArrayList<>();
    for (String w : workloads) {
      String[] one = args.clone();
      one[0] = w;
      BenchOptions o = parse(one);
      if (workloads.length > 1 && List.of("node", "rejoin", "w6", "mem").contains(o.workload)) {
        throw new IllegalArgumentException(o.workload + " starts its own nodes: run it alone");
      }
      if (!all.isEmpty()) {
        if (!o.path.equals(all.get(0).path)) {
          throw new IllegalArgumentException("a list runs on one path, and w5 runs over HTTP only: give the list "
            + "--http, --url or --cluster");
        }
        o.after = String.join(",", Arrays.asList(workloads).subList(0, all.size()));
      }
      all.add(o);
    }
    return all;
  }

  static BenchOptions parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException(USAGE);
    }
    BenchOptions o = new BenchOptions();
    o.workload = args[0].toLowerCase();
    if (o.workload.equals("lat")) {
      o.workload = "w1";
      o.rate = 1000;
    }
    if (!List.of("w1", "w2", "w3", "w4", "w5", "w6", "mem", "node", "rejoin").contains(o.workload)) {
      throw new IllegalArgumentException("unknown workload " + args[0] + "\n" + USAGE);
    }
    for (int i = 1; i < args.length; i++) {
      String k = args[i];
      switch (k) {
        case "--json" -> o.json = true;
        case "--h2" -> o.h2 = true;
        case "--metrics" -> o.metrics = true;
        case "--http" -> o.path = "http";
        case "--cluster" -> o.path = "cluster";
        case "--no-paging" -> o.paging = false;
        case "--mercure" -> o.mercure = true;
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(k + " needs a value");
          }
          o.set(k, args[++i]);
        }
      }
    }
    if (o.workload.equals("rejoin")) {
      if (!o.path.equals("in-process") && !o.path.equals("cluster") || !o.urls.isEmpty()) {
        throw new IllegalArgumentException("rejoin starts, kills and restarts its own 3 nodes with scripts/cluster");
      }
      o.path = "cluster";
    } else if (o.portOffset != 0 && !o.path.equals("cluster")) {
      throw new IllegalArgumentException("--port-offset is an option of rejoin and --cluster");
    }
    if (o.size < 16) {
      throw new IllegalArgumentException("--size must be at least 16 (the latency stamp)");
    }
    if (o.workload.equals("mem") && !o.countSet) {
      o.count = 50_000;
    }
    if (o.workload.equals("w6")) {
      o.path = "http";
      if (!o.sizeSet) {
        o.size = 65_536;
      }
    }
    if (o.workload.equals("w5") || o.workload.equals("node")) {
      if (o.path.equals("in-process")) {
        o.path = "http";
      }
      if (o.workload.equals("w5") && !o.windowSet) {
        // Each message is N events: a 1000-message window would queue ~1 GiB per 1,000 streams in the server.
        o.window = 20;
      }
    }
    if (o.h2 && o.path.equals("in-process")) {
      o.path = "http";
    }
    if (o.h2 && !o.connectionsSet) {
      // HTTP/2 carries many requests at once on one connection: a few connections hold W1's whole confirm window.
      o.connections = 4;
    } else if (o.workload.equals("w1") && o.rate == 0 && !o.connectionsSet) {
      // HTTP/1.1 answers one request at a time per connection: W1's producer needs as many connections as it may
      // have unconfirmed sends (--cwin, 256, as the peers' producers), or the connections are the limit.
      o.connections = o.confirmWindow;
    }
    return o;
  }

  private void set(String k, String v) {
    switch (k) {
      case "--secs" -> secs = positive(k, v);
      case "--warm" -> warm = Integer.parseInt(v);
      case "--size" -> {
        size = positive(k, v);
        sizeSet = true;
      }
      case "--count" -> {
        count = positive(k, v);
        countSet = true;
      }
      case "--heap" -> heap = v;
      case "--subs" -> subs = positive(k, v);
      case "--conc" -> concurrency = positive(k, v);
      case "--window" -> {
        window = positive(k, v);
        windowSet = true;
      }
      case "--cwin" -> confirmWindow = positive(k, v);
      case "--rate" -> rate = positive(k, v);
      case "--durability" -> durability = dev.ferrymq.Durations.durability(v);
      case "--reps" -> reps = positive(k, v);
      case "--conns" -> {
        connections = positive(k, v);
        connectionsSet = true;
      }
      case "--pipeline" -> pipelining = positive(k, v);
      case "--batch" -> batch = positive(k, v);
      case "--partitions" -> partitions = positive(k, v);
      case "--clients" -> clients = positive(k, v);
      case "--samples" -> samples = positive(k, v);
      case "--port-offset" -> {
        portOffset = positive(k, v);
        if (portOffset > 50_000) {
          throw new IllegalArgumentException("--port-offset must leave ports below 65536, got " + v);
        }
      }
      case "--ack" -> {
        if (!v.equals("batch") && !v.equals("single")) {
          throw new IllegalArgumentException("--ack is batch or single");
        }
        ackBatch = v.equals("batch");
      }
      case "--url" -> {
        path = "http";
        urls = List.of(v);
      }
      case "--urls" -> {
        path = "cluster";
        urls = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      }
      default -> throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
    }
  }

  private static int positive(String k, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw new IllegalArgumentException(k + " needs a positive integer, got " + v);
  }

  String label() {
    String name = workload.toUpperCase();
    if (workload.equals("w1") && durability != dev.ferrymq.Durability.SYNC) {
      name += " " + durability.name().toLowerCase(java.util.Locale.ROOT);
    }
    if (rate > 0) {
      name += " @" + rate + "/s";
    }
    if (workload.equals("w4")) {
      name += " x" + concurrency;
    }
    if (workload.equals("w5")) {
      name += " x" + clients + (mercure ? " mercure" : "");
    }
    if (!path.equals("in-process") && workload.matches("w[12]")) {
      name += ackBatch ? "" : " (single acks)";
    }
    if (!path.equals("in-process") && batch > 1 && workload.matches("w[123]")) {
      name += " (batches of " + batch + ")";
    }
    return name + " " + path + (h2 ? " h2 x" + connections : "") + (after.isEmpty() ? "" : " after " + after);
  }
}
