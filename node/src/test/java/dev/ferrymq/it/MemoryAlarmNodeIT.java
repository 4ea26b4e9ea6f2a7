package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.server.OutOfMemoryExitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The experiment on a small heap: a node (dev.ferrymq.server.Main with the pom's JVM flags) flooded with
 * batches of eight 64 KiB messages and no consumer, its queue keeping every message in memory (no paging). With the
 * default watermark it refuses with 503 memory-alarm instead of running out of heap, stays ready, drains, and takes
 * sends again; with the watermark at the whole heap it runs out — and exits instead of staying up as a zombie. A queue
 * that pages (the default) takes a flood of twice the heap over one keep-alive connection and delivers it all.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MemoryAlarmNodeIT {

  private static final String BATCH = batch(8, 64 * 1024);

  private NodeProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void aFloodedNodeRefusesWith503AndDrainsInsteadOfRunningOutOfHeap() throws Exception {
    node = start("alarm", 0.4);
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> accepted = new ArrayList<>();
    JsonObject refusal = null;
    for (int i = 0; i < 400 && refusal == null; i++) {
      HttpResponse<String> r = publish("flood");
      statuses.merge(r.statusCode(), 1, Integer::sum);
      JsonObject body = new JsonObject(r.body());
      if (r.statusCode() == 201) {
        body.getJsonArray("messages").forEach(m -> accepted.add(((JsonObject) m).getString("id")));
      } else {
        assertThat(r.statusCode()).as("%s after %d accepted; log: %s", r.body(), accepted.size(), node.log())
          .isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        refusal = body;
        for (Object m : body.getJsonArray("messages")) {
          JsonObject item = (JsonObject) m;
          if (item.containsKey("id")) {
            accepted.add(item.getString("id")); // sent before the alarm went on
          } else {
            assertThat(item.getString("type")).as(r.body()).isEqualTo("urn:ferrymq:problem:memory-alarm");
          }
        }
      }
    }
    assertThat(refusal).as("no refusal after %d messages (%s)", accepted.size(), statuses).isNotNull();
    for (int i = 0; i < 20; i++) { // the alarm holds; every refusal is the documented 503
      HttpResponse<String> r = publish("flood");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    }
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("memory").getBoolean("alarm")).isTrue();
    System.out.printf("node: %d messages of 64 KiB accepted, then refused; %s%n", accepted.size(), ready.body());

    Set<String> delivered = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (delivered.size() < accepted.size() && System.nanoTime() < deadline) {
      HttpResponse<String> r = post("/queues/flood/leases?max=10", "");
      if (r.statusCode() == 204) {
        continue;
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonArray leases = new JsonArray();
      for (Object o : new JsonArray(r.body())) {
        JsonObject d = (JsonObject) o;
        assertThat(delivered.add(d.getString("messageId"))).as("twice: %s", d.getString("messageId")).isTrue();
        leases.add(d.getString("leaseId"));
      }
      HttpResponse<String> acked = post("/queues/flood/acks", leases.encode());
      assertThat(acked.statusCode()).as(acked.body()).isEqualTo(204);
    }
    assertThat(delivered).as("every confirmed message delivered once").isEqualTo(new HashSet<>(accepted));
    HttpResponse<String> again = publish("flood");
    assertThat(again.statusCode()).as("sends resume after the drain: %s", again.body()).isEqualTo(201);
    assertThat(node.alive()).isTrue();
    assertThat(node.log()).doesNotContain("OutOfMemoryError").contains("memory alarm ON").contains("memory alarm OFF");
  }

  @Test
  void withTheWatermarkAtTheWholeHeapTheNodeRunsOutAndExits() throws Exception {
    node = start("oom", 1.0);
    Integer status = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    int published = 0;
    while (status == null && System.nanoTime() < deadline) {
      try {
        if (send("/queues/flood/messages/batch", BATCH).statusCode() == 201) {
          published++;
        }
      } catch (IOException e) {
        // the node is dying or gone
      }
      status = node.awaitExit(Duration.ZERO);
    }
    if (status == null) {
      status = node.awaitExit(Duration.ofSeconds(60));
    }
    assertThat(status).as("the node exits (status 3) after %d batches; log: %s", published, node.log()).isEqualTo(3);
    assertThat(node.log()).contains("Terminating due to java.lang.OutOfMemoryError");
  }

  @Test
  void aPagingQueueTakesAFloodTwiceTheHeapOverOneKeepAliveConnection() throws Exception {
    node = start("paging", 0.4, null, "-Xmx160m");
    for (int i = 0; i < 400; i++) { // 3,200 messages of 64 KiB: 200 MiB through a 160 MiB heap
      HttpResponse<String> r = publish("flood");
      assertThat(r.statusCode()).as("batch %d: %s", i, r.body()).isEqualTo(201);
    }
    JsonObject stats = new JsonObject(get("/queues/flood").body());
    assertThat(stats.getLong("depth")).as(stats.encode()).isEqualTo(3200);
    assertThat(stats.getLong("paged")).as("most of the backlog is on disk only: %s", stats.encode()).isGreaterThan(2500);
    Set<String> delivered = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    while (delivered.size() < 3200 && System.nanoTime() < deadline) {
      HttpResponse<String> r = post("/queues/flood/leases?max=50&ack=auto", "");
      if (r.statusCode() == 200) {
        for (Object o : new JsonArray(r.body())) {
          String id = ((JsonObject) o).getString("messageId");
          assertThat(delivered.add(id)).as("twice: %s", id).isTrue();
        }
      }
    }
    assertThat(delivered).as("every message delivered once").hasSize(3200);
    assertThat(node.alive()).isTrue();
    assertThat(node.log()).doesNotContain("OutOfMemoryError").doesNotContain("memory alarm ON");
  }

  private NodeProcess start(String name, double watermark) throws Exception {
    // A page window larger than the heap: the queue keeps every message in memory (as a queue that cannot page does),
    // the case the alarm is for. A queue that pages holds only its window (the test above, PagingRestartIT).
    JsonObject inMemory = new JsonObject().put("pageWindow", 1_000_000).put("pageWindowBytes", 1L << 30);
    // small, yet room above the node's own ~60 MiB and the alarm's 40 % for the drain's responses
    return start(name, watermark, inMemory, "-Xmx256m");
  }

  private NodeProcess start(String name, double watermark, JsonObject paging, String heap) throws Exception {
    Path dir = Path.of("target", "it-memory-" + name);
    Files.createDirectories(dir);
    Path data = Files.createTempDirectory(dir.toAbsolutePath(), "data");
    Path config = dir.resolve("node.json");
    JsonObject broker = new JsonObject().put("memoryHighWatermark", watermark)
      .put("store", new JsonObject().put("type", "sqlite").put("dataDir", data.toString()));
    if (paging != null) {
      broker.mergeIn(paging);
    }
    Files.writeString(config, new JsonObject().put("broker", broker).encode());
    List<String> jvm = new ArrayList<>(OutOfMemoryExitTest.nodeJvmFlags());
    jvm.add(heap);
    NodeProcess p = new NodeProcess(0, freePort(), jvm, List.of("--config", config.toString()), dir);
    p.start();
    p.awaitReady(Duration.ofSeconds(120));
    return p;
  }

  private HttpResponse<String> publish(String queue) throws Exception {
    return post("/queues/" + queue + "/messages/batch", BATCH);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    try {
      return send(path, body);
    } catch (IOException e) {
      throw new AssertionError("POST " + path + " failed (" + e + "); node alive: " + node.alive() + "; its log:\n"
        + node.log(), e);
    }
  }

  private HttpResponse<String> send(String path, String body) throws Exception {
    return NodeProcess.HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return NodeProcess.HTTP.send(node.get(path), HttpResponse.BodyHandlers.ofString());
  }

  private static String batch(int n, int size) {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < n; i++) {
      messages.add(new JsonObject().put("data", String.valueOf((char) ('a' + i)).repeat(size)));
    }
    return messages.encode();
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
