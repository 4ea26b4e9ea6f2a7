package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three nodes on a shared PostgreSQL: kill -9 of all of them, restart, and every confirmed message is back. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterFullRestartIT {

  private final List<NodeProcess> nodes = new ArrayList<>();
  private EmbeddedPostgres pg;

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess n : nodes) {
      n.stop();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void nothingConfirmedIsLost() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    Path dir = Path.of("target", "it-full-restart");
    Files.createDirectories(dir);
    int[] hz = ClusterKillIT.freePorts(3);
    int[] http = ClusterKillIT.freePorts(3);
    Path hzConfig = ClusterKillIT.clusterConfig(dir, hz);
    Path nodeConfig = dir.resolve("node.json");
    Files.writeString(nodeConfig, new JsonObject().put("broker", new JsonObject().put("store", new JsonObject()
      .put("type", "postgres").put("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres")
      .put("user", "postgres"))).encode());
    for (int i = 0; i < 3; i++) {
      nodes.add(new NodeProcess(i, http[i], List.of("--cluster", "--hazelcast-config", hzConfig.toString(),
        "--hazelcast-port", Integer.toString(hz[i]), "--config", nodeConfig.toString()), dir));
    }
    NodeProcess.startAll(nodes);

    Set<String> confirmed = new HashSet<>();
    for (int k = 0; k < 3000; k++) {
      NodeProcess n = nodes.get(k % 3);
      HttpResponse<String> r = NodeProcess.post(n, "/queues/q" + (k % 4) + "/messages", "m-" + k);
      assertThat(r.statusCode()).isEqualTo(201);
      confirmed.add(new JsonObject(r.body()).getString("id"));
    }
    for (int i = 1; i <= 30; i++) {
      NodeProcess.post(nodes.get(i % 3), "/topics/t/messages", "t" + i);
    }
    for (NodeProcess n : nodes) {
      n.kill();
    }
    NodeProcess.startAll(nodes);

    Set<String> back = new HashSet<>();
    for (int q = 0; q < 4; q++) {
      while (true) {
        HttpResponse<String> r = NodeProcess.post(nodes.get(q % 3), "/queues/q" + q + "/leases?max=1000&wait=1s", "");
        if (r.statusCode() == 204) {
          break;
        }
        assertThat(r.statusCode()).isEqualTo(200);
        for (Object o : new JsonArray(r.body())) {
          back.add(((JsonObject) o).getString("messageId"));
        }
      }
    }
    System.out.printf("ClusterFullRestartIT: confirmed %d, back after kill -9 of all nodes %d%n",
      confirmed.size(), back.size());
    assertThat(back).isEqualTo(confirmed);
    HttpResponse<String> h = NodeProcess.HTTP.send(nodes.get(1).get("/topics/t/messages?from=earliest&limit=100"),
      HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonArray(h.body())).hasSize(30);
    assertThat(new JsonObject(NodeProcess.post(nodes.get(2), "/topics/t/messages", "next").body()).getLong("seq")).isEqualTo(31);
  }
}
