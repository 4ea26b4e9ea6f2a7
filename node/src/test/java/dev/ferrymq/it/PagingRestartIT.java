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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One node with the embedded SQLite store and a page window of 100: 3,000 confirmed messages (most of them paged
 * out to the store), 200 acked, kill -9, restart. The 2,800 unacked come back, in the order they were sent, once each.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PagingRestartIT {

  private NodeProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void aPagedBacklogComesBackInOrderAfterKillMinusNine() throws Exception {
    Path dir = Path.of("target", "it-paging-restart");
    Files.createDirectories(dir);
    Path data = Files.createTempDirectory(dir.toAbsolutePath(), "data");
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("broker", new JsonObject().put("pageWindow", 100).put("store",
      new JsonObject().put("type", "sqlite").put("dataDir", data.toString()))).encode());
    int port = freePort();
    node = new NodeProcess(0, port, List.of("--config", config.toString()), dir);
    node.start();
    node.awaitReady(Duration.ofSeconds(120));

    List<String> confirmed = new ArrayList<>();
    for (int k = 0; k < 3000; k++) {
      HttpResponse<String> r = post("/queues/backlog/messages", "m" + k);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      confirmed.add(new JsonObject(r.body()).getString("id"));
    }
    JsonObject stats = new JsonObject(send(node.get("/queues/backlog")).body());
    assertThat(stats.getLong("paged")).as("%s", stats).isGreaterThanOrEqualTo(2800);
    List<String> acked = drain(200);
    assertThat(acked).isEqualTo(confirmed.subList(0, 200));
    node.kill();

    node.start();
    node.awaitReady(Duration.ofSeconds(120));
    stats = new JsonObject(send(node.get("/queues/backlog")).body());
    System.out.println("PagingRestartIT: after kill -9: " + stats.encode());
    assertThat(stats.getLong("depth")).as("%s", stats).isEqualTo(2800);
    assertThat(stats.getLong("paged")).as("%s", stats).isGreaterThanOrEqualTo(2600);
    List<String> back = drain(2800);
    assertThat(back).isEqualTo(confirmed.subList(200, 3000));
    assertThat(post("/queues/backlog/leases?max=10&wait=1s", "").statusCode()).isEqualTo(204);
  }

  /** Leases and acks until {@code n} messages came (or nothing for 20 s). @return their ids, in delivery order */
  private List<String> drain(int n) throws Exception {
    List<String> got = new ArrayList<>();
    int idle = 0;
    while (got.size() < n && idle < 10) {
      HttpResponse<String> r = post("/queues/backlog/leases?max=" + Math.min(100, n - got.size()) + "&wait=2s", "");
      if (r.statusCode() == 204) {
        idle++;
        continue;
      }
      idle = 0;
      JsonArray leases = new JsonArray();
      for (Object o : new JsonArray(r.body())) {
        JsonObject d = (JsonObject) o;
        assertThat(got).as("delivered twice").doesNotContain(d.getString("messageId"));
        got.add(d.getString("messageId"));
        leases.add(d.getString("leaseId"));
      }
      assertThat(send(HttpRequest.newBuilder(node.uri("/queues/backlog/acks")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(leases.encode()))
        .build()).statusCode()).isEqualTo(204);
    }
    return got;
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
