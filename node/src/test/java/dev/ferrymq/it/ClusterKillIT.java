package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three node JVMs on 127.0.0.1. 20,000 messages with unique bodies are published through all nodes and consumed
 * with acks through all nodes; in the middle the node that owns the queue is killed with SIGKILL, later restarted.
 * Every confirmed message must be consumed; duplicates are counted and reported. The restarted node must be ready
 * (joined, partitions safe, every endpoint answering) within {@value #REJOIN_BOUND_S} s of its start, under that load:
 * a generous bound for a busy 2-core CI machine (the 5 s figure is {@code scripts/bench rejoin}'s, docs/CLUSTER.md).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterKillIT {

  private static final int MESSAGES = 20_000;
  private static final String QUEUE = "orders";
  private static final long REJOIN_BOUND_S = 20;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.stop();
    }
  }

  @Test
  void killingTheOwnerLosesNoConfirmedMessage() throws Exception {
    Path dir = Path.of("target", "it-cluster");
    Files.createDirectories(dir);
    int[] hz = freePorts(3);
    int[] http = freePorts(3);
    Path config = clusterConfig(dir, hz);
    for (int i = 0; i < 3; i++) {
      nodes.add(new NodeProcess(i, http[i], List.of("--cluster", "--hazelcast-config", config.toString(),
        "--hazelcast-port", Integer.toString(hz[i])), dir));
    }
    for (NodeProcess n : nodes) {
      n.start();
    }
    for (NodeProcess n : nodes) {
      n.awaitReady(Duration.ofSeconds(180));
    }
    HttpResponse<String> created = NodeProcess.HTTP.send(HttpRequest.newBuilder(nodes.get(0).uri("/queues/" + QUEUE))
      .PUT(HttpRequest.BodyPublishers.ofString("{\"visibilityTimeout\":\"30s\"}"))
      .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isLessThan(300);
    String ownerId = new JsonObject(NodeProcess.HTTP.send(nodes.get(1).get("/cluster"),
      HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("owners").getString("queue:" + QUEUE);
    NodeProcess victim = nodes.stream().filter(n -> n.nodeId.equals(ownerId)).findFirst().orElseThrow();

    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    Set<String> received = ConcurrentHashMap.newKeySet();
    AtomicLong deliveries = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong killedAt = new AtomicLong();
    AtomicLong servedAgainAt = new AtomicLong();
    AtomicInteger publishErrors = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(7);
    List<Future<?>> publishers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      publishers.add(pool.submit(() -> {
        for (int k = next.getAndIncrement(); k < MESSAGES; k = next.getAndIncrement()) {
          String body = "m-" + k;
          long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          for (int attempt = 0; ; attempt++) {
            NodeProcess n = nodes.get((k + attempt) % 3);
            try {
              HttpResponse<String> r = NodeProcess.HTTP.send(HttpRequest.newBuilder(n.uri("/queues/" + QUEUE + "/messages"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 201) {
                confirmed.add(body);
                if (killedAt.get() != 0 && servedAgainAt.get() == 0) {
                  servedAgainAt.compareAndSet(0, System.nanoTime());
                }
                break;
              }
              publishErrors.incrementAndGet();
            } catch (Exception e) {
              publishErrors.incrementAndGet();
            }
            if (System.nanoTime() > giveUp) {
              throw new IllegalStateException("could not publish " + body);
            }
          }
        }
        return null;
      }));
    }
    List<Future<?>> consumers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      int first = c;
      consumers.add(pool.submit(() -> {
        int node = first;
        while ((publishing.get() || !received.containsAll(confirmed)) && !Thread.currentThread().isInterrupted()) {
          NodeProcess n = nodes.get(node);
          try {
            HttpResponse<String> r = NodeProcess.HTTP.send(HttpRequest.newBuilder(
                n.uri("/queues/" + QUEUE + "/leases?max=100&wait=1s")).timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              JsonArray leases = new JsonArray();
              for (Object o : new JsonArray(r.body())) {
                JsonObject d = (JsonObject) o;
                received.add(d.getString("data"));
                deliveries.incrementAndGet();
                leases.add(d.getString("leaseId"));
              }
              NodeProcess.HTTP.send(HttpRequest.newBuilder(n.uri("/queues/" + QUEUE + "/acks"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(leases.encode())).build(),
                HttpResponse.BodyHandlers.discarding());
            } else if (r.statusCode() >= 500) {
              node = (node + 1) % 3;
            }
          } catch (Exception e) {
            node = (node + 1) % 3; // that node is down: consume through another
          }
        }
        return null;
      }));
    }

    await().atMost(Duration.ofMinutes(3)).until(() -> confirmed.size() >= MESSAGES / 3);
    victim.kill();
    killedAt.set(System.nanoTime());
    await().atMost(Duration.ofMinutes(3)).until(() -> confirmed.size() >= 2 * MESSAGES / 3);
    long restartedAt = System.nanoTime();
    victim.start();
    victim.awaitReady(Duration.ofSeconds(180));
    double rejoinSecs = (System.nanoTime() - restartedAt) / 1e9;
    System.out.printf("ClusterKillIT: the killed node was ready again %.2f s after its restart%n", rejoinSecs);
    for (Future<?> p : publishers) {
      p.get(5, TimeUnit.MINUTES);
    }
    publishing.set(false);
    try {
      await().atMost(Duration.ofMinutes(3)).until(() -> consumers.stream().allMatch(Future::isDone));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Set<String> missing = new java.util.HashSet<>(confirmed);
      missing.removeAll(received);
      throw new AssertionError(missing.size() + " confirmed messages not consumed after 3 minutes (e.g. "
        + missing.stream().limit(5).toList() + "); the queue as each node sees it: " + queueViews(), e);
    } finally {
      pool.shutdownNow();
    }
    for (Future<?> c : consumers) {
      c.get(); // a consumer that failed says why
    }

    Set<String> lost = new java.util.HashSet<>(confirmed);
    lost.removeAll(received);
    long duplicates = deliveries.get() - received.size();
    double recoverySecs = (servedAgainAt.get() - killedAt.get()) / 1e9;
    System.out.printf("ClusterKillIT: confirmed %d, received %d unique, %d deliveries, %d duplicates, %d lost; "
        + "publish errors/retries %d; publishes confirmed again %.2f s after the kill%n",
      confirmed.size(), received.size(), deliveries.get(), duplicates, lost.size(), publishErrors.get(), recoverySecs);
    Files.writeString(dir.resolve("result.txt"), "confirmed=" + confirmed.size() + " received=" + received.size()
      + " deliveries=" + deliveries.get() + " duplicates=" + duplicates + " lost=" + lost.size()
      + " recoverySecs=" + recoverySecs + " rejoinSecs=" + rejoinSecs + "\n");
    assertThat(rejoinSecs).as("seconds from the restart of the killed node to its /health/ready = 200")
      .isLessThan(REJOIN_BOUND_S);
    assertThat(confirmed).hasSize(MESSAGES);
    assertThat(lost).isEmpty();
  }

  private String queueViews() {
    StringBuilder out = new StringBuilder();
    for (NodeProcess n : nodes) {
      for (String q : List.of(QUEUE, QUEUE + ".dlq")) {
        try {
          out.append("\n  node ").append(n.index).append(' ').append(q).append(": ")
            .append(NodeProcess.HTTP.send(n.get("/queues/" + q), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
          out.append("\n  node ").append(n.index).append(' ').append(q).append(": ").append(e);
        }
      }
    }
    return out.toString();
  }

  /** @return cluster-config/hazelcast.xml with its own cluster name and the members on {@code ports} */
  static Path clusterConfig(Path dir, int[] ports) throws Exception {
    String xml = Files.readString(repositoryFile("cluster-config/hazelcast.xml"))
      .replace("<cluster-name>ferrymq</cluster-name>", "<cluster-name>it-" + System.nanoTime() + "</cluster-name>");
    for (int i = 0; i < 3; i++) {
      xml = xml.replace("<member>127.0.0.1:570" + (i + 1) + "</member>", "<member>127.0.0.1:" + ports[i] + "</member>");
    }
    Path config = dir.resolve("hazelcast.xml");
    Files.writeString(config, xml);
    return config;
  }

  static int[] freePorts(int n) throws Exception {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** @return three nodes of a loopback cluster, not started, each with its own SQLite journal under {@code dir} */
  static List<NodeProcess> journalledNodes(Path dir) throws Exception {
    int[] hz = freePorts(3);
    int[] http = freePorts(3);
    Path hzConfig = clusterConfig(dir, hz);
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path data = dir.resolve("data-" + i + "-" + System.nanoTime());
      Path nodeConfig = dir.resolve("node-" + i + ".json");
      Files.writeString(nodeConfig, new JsonObject().put("broker", new JsonObject().put("store",
        new JsonObject().put("type", "sqlite").put("dataDir", data.toString()))).encode());
      nodes.add(new NodeProcess(i, http[i], List.of("--cluster", "--hazelcast-config", hzConfig.toString(),
        "--hazelcast-port", Integer.toString(hz[i]), "--config", nodeConfig.toString()), dir));
    }
    return nodes;
  }

  /** @return a file of the repository, found upwards from the working directory (the module's, or the root's) */
  static Path repositoryFile(String relative) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(relative))) {
        return d.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
