package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes, each with its own SQLite journal and no shared store (the default of a cluster): a node is killed and
 * its destinations move (the new owners snapshot them), messages are sent and taken meanwhile, the node comes back,
 * then all three are killed with -9 and started again. Every confirmed message not taken comes back, none that was
 * taken does, and topic history continues its numbering.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterJournalRestartIT {

  private static final int QUEUES = 4;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess n : nodes) {
      n.stop();
    }
  }

  @Test
  void fullRestartBringsBackEveryConfirmedMessageFromTheNodesOwnJournals() throws Exception {
    Path dir = Path.of("target", "it-journal-restart");
    Files.createDirectories(dir);
    nodes.addAll(ClusterKillIT.journalledNodes(dir));
    NodeProcess.startAll(nodes);

    Set<String> confirmed = new HashSet<>();
    send(confirmed, 0, 1500);
    for (int i = 1; i <= 20; i++) {
      assertThat(NodeProcess.post(nodes.get(i % 3), "/topics/t/messages", "t" + i).statusCode()).isEqualTo(201);
    }

    // One node down: its destinations move to the others, which write what they took over to their own journals.
    nodes.get(2).kill();
    nodes.get(0).awaitReady(Duration.ofSeconds(120));
    send(confirmed, 1500, 3000, nodes.get(0), nodes.get(1));
    for (int i = 21; i <= 30; i++) {
      assertThat(NodeProcess.post(nodes.get(i % 2), "/topics/t/messages", "t" + i).statusCode()).isEqualTo(201);
    }
    Set<String> taken = new HashSet<>();
    HttpResponse<String> r = NodeProcess.post(nodes.get(1), "/queues/q1/leases?max=200&wait=1s&ack=auto", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (Object o : new JsonArray(r.body())) {
      taken.add(((JsonObject) o).getString("messageId"));
    }
    assertThat(taken).hasSize(200);
    nodes.get(2).start();
    nodes.get(2).awaitReady(Duration.ofSeconds(180));

    // A power cut: every node at once, then all back.
    for (NodeProcess n : nodes) {
      n.kill();
    }
    NodeProcess.startAll(nodes);

    Set<String> back = new HashSet<>();
    for (int q = 0; q < QUEUES; q++) {
      while (true) {
        HttpResponse<String> leases = NodeProcess.post(nodes.get(q % 3), "/queues/q" + q + "/leases?max=1000&wait=1s&ack=auto",
          "");
        if (leases.statusCode() == 204) {
          break;
        }
        assertThat(leases.statusCode()).as(leases.body()).isEqualTo(200);
        for (Object o : new JsonArray(leases.body())) {
          back.add(((JsonObject) o).getString("messageId"));
        }
      }
    }
    Set<String> expected = new HashSet<>(confirmed);
    expected.removeAll(taken);
    Set<String> lost = new HashSet<>(expected);
    lost.removeAll(back);
    Set<String> resurrected = new HashSet<>(back);
    resurrected.retainAll(taken);
    System.out.printf("ClusterJournalRestartIT: confirmed %d, taken %d, back after kill -9 of all nodes %d, lost %d,"
      + " taken but back %d%n", confirmed.size(), taken.size(), back.size(), lost.size(), resurrected.size());
    assertThat(lost).as("confirmed messages lost").isEmpty();
    assertThat(resurrected).as("messages taken (auto-acked) before the restart that came back").isEmpty();
    assertThat(back).isEqualTo(expected);

    HttpResponse<String> h = NodeProcess.HTTP.send(nodes.get(1).get("/topics/t/messages?from=earliest&limit=100"),
      HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonArray(h.body())).hasSize(30);
    assertThat(new JsonObject(NodeProcess.post(nodes.get(2), "/topics/t/messages", "next").body()).getLong("seq")).isEqualTo(31);
  }

  private void send(Set<String> confirmed, int from, int to, NodeProcess... via) throws Exception {
    List<NodeProcess> targets = via.length == 0 ? nodes : List.of(via);
    for (int k = from; k < to; k++) {
      HttpResponse<String> r = NodeProcess.post(targets.get(k % targets.size()), "/queues/q" + (k % QUEUES) + "/messages",
        "m-" + k);
      for (int attempt = 0; r.statusCode() == 503 && attempt < 60; attempt++) { // an owner moving: not confirmed
        r = NodeProcess.post(targets.get((k + attempt + 1) % targets.size()), "/queues/q" + (k % QUEUES) + "/messages", "m-" + k);
      }
      assertThat(r.statusCode()).as("send %d: %s", k, r.body()).isEqualTo(201);
      confirmed.add(new JsonObject(r.body()).getString("id"));
    }
  }
}
