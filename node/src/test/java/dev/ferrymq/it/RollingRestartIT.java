package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart (docs/OPERATIONS.md, "Rolling restart"): three node JVMs with their own journals; while a producer
 * sends to a queue (over HTTP, retried on another node when one is unready or gone) and a consumer takes and acks over
 * SSE (following its stream to the next node when a draining node ends it), each node in turn gets SIGTERM, must exit
 * with status 0 within its drain limit, is started again and the cluster is ready before the next. Then every message
 * whose send was confirmed must have been delivered (0 lost).
 *
 * <p>Nodes are {@link NodeProcess} JVMs, not {@code scripts/cluster}: the script runs nodes on fixed port blocks (HTTP
 * 8080+K+I, Hazelcast 5700+K+I) where a test on a shared machine takes free ports, and its nodes are not its children
 * once it returns, so it cannot report their exit status, which this test asserts.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RollingRestartIT {

  private static final String QUEUE = "restart.q";
  private static final Duration DRAIN_TIME = Duration.ofSeconds(2);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(45);
  private static final int RATE = Integer.getInteger("restart.rate", 40);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
  private final AtomicLong publishRetries = new AtomicLong();
  private final AtomicLong consumerMoves = new AtomicLong();
  private final AtomicLong streamsEndedByDrain = new AtomicLong();

  @AfterEach
  void stopAll() throws InterruptedException {
    producing.set(false);
    consuming.set(false);
    for (NodeProcess n : nodes) {
      n.stop();
    }
  }

  @Test
  void eachNodeDrainsInTurnAndNothingConfirmedIsLost() throws Exception {
    long testStart = System.nanoTime();
    Path dir = Files.createDirectories(Path.of("target", "it-rolling-restart"));
    nodes.addAll(ClusterKillIT.journalledNodes(dir));
    for (NodeProcess n : nodes) {
      n.env("FERRYMQ_DRAIN_TIME", DRAIN_TIME.toMillis() + "ms").env("FERRYMQ_DRAIN_LIMIT", DRAIN_LIMIT.toSeconds() + "s");
    }
    NodeProcess.startAll(nodes);
    log("cluster of 3 ready after %.1f s", secs(testStart));
    HttpResponse<String> created = NodeProcess.HTTP.send(HttpRequest.newBuilder(nodes.get(0).uri("/queues/" + QUEUE))
      .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString("{\"visibilityTimeout\":\"10s\"}")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<?> producer = pool.submit(this::produce);
    Future<?> consumer = pool.submit(this::consume);
    awaitConfirmedMore(50);

    List<String> restarts = new ArrayList<>();
    for (NodeProcess victim : nodes) {
      long t0 = System.nanoTime();
      victim.terminate();
      Integer exit = victim.awaitExit(DRAIN_LIMIT.plusSeconds(15));
      double took = secs(t0);
      assertThat(exit).as("node %d's exit status after SIGTERM (null: still running after %.0f s); log:%n%s",
        victim.index, took, tail(victim.log())).isEqualTo(0);
      assertThat(took).as("node %d exited within its drain limit", victim.index)
        .isLessThan(DRAIN_LIMIT.toSeconds() + 15.0);
      victim.start();
      for (NodeProcess n : nodes) {
        n.awaitReady(Duration.ofSeconds(180));
      }
      awaitConfirmedMore(20); // traffic flows again before the next restart
      restarts.add(String.format("node %d: exited 0 after %.1f s, cluster ready again after %.1f s", victim.index,
        took, secs(t0)));
      log("%s", restarts.get(restarts.size() - 1));
    }

    // The metrics show the hand-overs: the queue's first owner was restarted, so its owner now took it over from an
    // earlier one (epoch > 1) in the node's current process, and counted it in ferrymq_owner_takeovers_total.
    String owner = null;
    double ownerTakeovers = 0;
    double allTakeovers = 0;
    for (NodeProcess n : nodes) {
      String metrics = metrics(n);
      double t = sample(metrics, "ferrymq_owner_takeovers_total{kind=\"queue\"}");
      allTakeovers += Math.max(0, t);
      if (sample(metrics, "ferrymq_queue_ready_messages{queue=\"" + QUEUE + "\"}") >= 0) {
        assertThat(owner).as("only one node reports " + QUEUE).isNull();
        owner = "node " + n.index;
        ownerTakeovers = t;
      }
    }
    log("queue take-overs counted on the nodes: %.0f; %s reports %s (its take-overs: %.0f)", allTakeovers, owner, QUEUE,
      ownerTakeovers);
    assertThat(owner).as("a node reports " + QUEUE).isNotNull();
    assertThat(ownerTakeovers).as("take-overs counted by the owner of " + QUEUE).isGreaterThanOrEqualTo(1);

    producing.set(false);
    producer.get(3, TimeUnit.MINUTES);
    try {
      Awaitility.await("every confirmed message delivered").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200)).until(() -> delivered.keySet().containsAll(confirmed));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      log("not all delivered within 2 minutes; the assertion below lists what is missing");
    }
    consuming.set(false);
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    Set<String> lost = new HashSet<>(confirmed);
    lost.removeAll(delivered.keySet());
    long duplicates = delivered.values().stream().mapToLong(c -> c.get() - 1).sum();
    String summary = String.format("RollingRestartIT: 3 graceful restarts; confirmed %d, delivered %d unique, %d"
        + " duplicates, %d lost; publish retries %d, consumer moves %d (%d streams ended by a drain); took %.0f s",
      confirmed.size(), delivered.size(), duplicates, lost.size(), publishRetries.get(), consumerMoves.get(),
      streamsEndedByDrain.get(), secs(testStart));
    System.out.println(summary);
    restarts.forEach(r -> System.out.println("  " + r));
    Files.writeString(dir.resolve("result.txt"), summary + "\n" + String.join("\n", restarts) + "\n");
    if (consumer.isDone() && !consumer.isCancelled()) {
      consumer.get(); // a consumer that failed says why
    }
    assertThat(lost).as("confirmed messages never delivered (of %d)", confirmed.size()).isEmpty();
    assertThat(streamsEndedByDrain.get()).as("the consumer's stream was ended by a drain comment at least once")
      .isPositive();
  }

  /** @return node {@code n}'s {@code GET /metrics} */
  private static String metrics(NodeProcess n) throws Exception {
    HttpResponse<String> r = NodeProcess.HTTP.send(HttpRequest.newBuilder(n.uri("/metrics"))
      .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** @return the value of the sample line that starts with {@code series} (name and labels), or -1 when none */
  private static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  private void awaitConfirmedMore(int n) {
    int target = confirmed.size() + n;
    Awaitility.await(n + " more confirmed sends").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
      .until(() -> confirmed.size() >= target);
  }

  /** Sends RATE messages a second, each to the next node, retried on the others until confirmed. */
  private Void produce() throws Exception {
    HttpClient client = client();
    long period = TimeUnit.SECONDS.toNanos(1) / RATE;
    long next = System.nanoTime();
    for (int k = 0; producing.get(); k++) {
      String body = "m-" + k;
      send(client, k % 3, body);
      confirmed.add(body);
      next += period;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait); // the producer's pace
      } else {
        next = System.nanoTime();
      }
    }
    return null;
  }

  private void send(HttpClient client, int first, String body) throws Exception {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (int attempt = 0; ; attempt++) {
      NodeProcess n = nodes.get((first + attempt) % 3);
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(n.uri("/queues/" + QUEUE + "/messages"))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "text/plain").header("Idempotency-Key", body)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201 || r.statusCode() == 200) {
          return;
        }
        if (r.statusCode() != 503 && r.statusCode() != 429) {
          throw new IllegalStateException("send " + body + " via node " + n.index + ": " + r.statusCode() + " "
            + r.body());
        }
      } catch (IOException e) {
        // that node is stopping or starting: the next one
      }
      publishRetries.incrementAndGet();
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("could not send " + body + " for 3 minutes");
      }
      if (attempt % 3 == 2) {
        TimeUnit.MILLISECONDS.sleep(200); // every node refused: back off before the next round
      }
    }
  }

  /** A push consumer over SSE that acks each delivery; on to the next node when its stream ends. */
  private Void consume() throws Exception {
    HttpClient client = client();
    for (int attempt = 0; consuming.get(); attempt++) {
      NodeProcess n = nodes.get(attempt % 3);
      try {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(n.uri("/queues/" + QUEUE
          + "/deliveries?prefetch=4")).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
          r.body().close();
        } else {
          try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String data = null;
            for (String line; consuming.get() && (line = in.readLine()) != null; ) {
              if (line.startsWith("event:")) {
                event = line.substring(6).strip();
              } else if (line.startsWith("data:")) {
                data = line.substring(5).strip();
              } else if (line.startsWith(": closed: the node is stopping")) {
                streamsEndedByDrain.incrementAndGet();
              } else if (line.isEmpty()) {
                if ("delivery".equals(event) && data != null) {
                  JsonObject d = new JsonObject(data);
                  delivered.computeIfAbsent(d.getString("data"), b -> new AtomicInteger()).incrementAndGet();
                  ack(client, n, d.getString("leaseId"));
                }
                event = null;
                data = null;
              }
            }
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // the node is gone or not up yet: the next one
      }
      if (consuming.get()) {
        consumerMoves.incrementAndGet();
        TimeUnit.MILLISECONDS.sleep(100); // as an EventSource waits its retry delay before reconnecting
      }
    }
    return null;
  }

  /** Acks; a failed ack only means the message comes again (at-least-once), so it is not retried here. */
  private static void ack(HttpClient client, NodeProcess n, String leaseId) {
    try {
      client.send(HttpRequest.newBuilder(n.uri("/queues/" + QUEUE + "/leases/" + leaseId + "/ack"))
        .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // its node is stopping: the lease goes back and the message comes again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("RollingRestartIT: " + format + "%n", args);
  }
}
