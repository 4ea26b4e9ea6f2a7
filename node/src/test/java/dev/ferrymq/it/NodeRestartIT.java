package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One node with the embedded SQLite store: 10,000 confirmed messages, 3,000 acked, kill -9, restart. Exactly the
 * 7,000 unacked messages come back, and the topic's history and numbering too.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NodeRestartIT {

  private NodeProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void killMinusNineLosesNothingConfirmed() throws Exception {
    Path dir = Path.of("target", "it-restart");
    Files.createDirectories(dir);
    Path data = Files.createTempDirectory(dir.toAbsolutePath(), "data");
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("broker", new JsonObject().put("store",
      new JsonObject().put("type", "sqlite").put("dataDir", data.toString()))).encode());
    int port = freePort();
    node = new NodeProcess(0, port, List.of("--config", config.toString()), dir);
    node.start();
    node.awaitReady(Duration.ofSeconds(120));

    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> work = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      work.add(pool.submit(() -> {
        for (int k = next.getAndIncrement(); k < 10_000; k = next.getAndIncrement()) {
          HttpResponse<String> r = post("/queues/jobs/messages", "job-" + k);
          assertThat(r.statusCode()).isEqualTo(201);
          confirmed.add(new JsonObject(r.body()).getString("id"));
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    for (int i = 1; i <= 100; i++) {
      assertThat(new JsonObject(post("/topics/news/messages", "n" + i).body()).getLong("seq")).isEqualTo(i);
    }
    Set<String> acked = ConcurrentHashMap.newKeySet();
    while (acked.size() < 3000) {
      int max = Math.min(100, 3000 - acked.size());
      for (Object o : new JsonArray(post("/queues/jobs/leases?max=" + max + "&wait=1s", "").body())) {
        JsonObject d = (JsonObject) o;
        assertThat(post("/queues/jobs/leases/" + d.getString("leaseId") + "/ack", "").statusCode()).isEqualTo(204);
        acked.add(d.getString("messageId"));
      }
    }
    node.kill();

    node.start();
    node.awaitReady(Duration.ofSeconds(120));
    Set<String> back = ConcurrentHashMap.newKeySet();
    int deliveries = 0;
    while (true) {
      HttpResponse<String> r = post("/queues/jobs/leases?max=1000&wait=1s", "");
      if (r.statusCode() == 204) {
        break;
      }
      for (Object o : new JsonArray(r.body())) {
        back.add(((JsonObject) o).getString("messageId"));
        deliveries++;
      }
    }
    Set<String> expected = new java.util.HashSet<>(confirmed);
    expected.removeAll(acked);
    System.out.printf("NodeRestartIT: confirmed %d, acked %d, back after kill -9: %d (%d deliveries)%n",
      confirmed.size(), acked.size(), back.size(), deliveries);
    assertThat(back).isEqualTo(expected);
    assertThat(back).hasSize(7000);

    JsonArray history = new JsonArray(send(node.get("/topics/news/messages?from=earliest&limit=1000")).body());
    assertThat(history).hasSize(100);
    assertThat(history.getJsonObject(0).getLong("seq")).isEqualTo(1);
    assertThat(history.getJsonObject(99).getLong("seq")).isEqualTo(100);
    assertThat(new JsonObject(post("/topics/news/messages", "after").body()).getLong("seq")).isEqualTo(101);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return NodeProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
