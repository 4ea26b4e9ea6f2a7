package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Partitioned queues and topics over HTTP: keys, leases that name their partition, 409, listings, SSE resume. */
@Timeout(120)
class PartitionedHttpTest extends GatewayTestBase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static HttpResponse<Buffer> put(String uri, JsonObject body) {
    return client.put(uri).sendJsonObject(body).await();
  }

  @Test
  void competingPullersLeaseAndAckEachMessageOnce(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> created = put("/queues/" + q, new JsonObject().put("partitions", 4));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    assertThat(created.bodyAsJsonObject().getJsonObject("options").getInteger("partitions")).isEqualTo(4);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> r = client.post("/queues/" + q + "/messages").putHeader("Ferry-Key", "key-" + (i % 5))
        .sendBuffer(Buffer.buffer("h" + i)).await();
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    }
    JsonArray batch = new JsonArray();
    for (int i = 20; i < 40; i++) {
      batch.add(new JsonObject().put("data", "h" + i).put(i % 2 == 0 ? "key" : "contentType", i % 2 == 0 ? "b" + i
        : "text/plain"));
    }
    HttpResponse<Buffer> b = client.post("/queues/" + q + "/messages/batch").sendJson(batch).await();
    assertThat(b.statusCode()).as(b.bodyAsString()).isEqualTo(201);

    Map<String, Integer> seen = new HashMap<>();
    List<String> leases = new ArrayList<>();
    Awaitility.await().atMost(WAIT).untilAsserted(() -> {
      List<Future<HttpResponse<Buffer>>> pulls = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // three clients pulling at once
        pulls.add(client.post("/queues/" + q + "/leases?max=5&wait=200ms").send());
      }
      for (Future<HttpResponse<Buffer>> p : pulls) {
        HttpResponse<Buffer> r = p.await();
        if (r.statusCode() == 200) {
          r.bodyAsJsonArray().forEach(o -> {
            JsonObject d = (JsonObject) o;
            seen.merge(d.getString("data"), 1, Integer::sum);
            leases.add(d.getString("leaseId"));
          });
        }
      }
      assertThat(seen).hasSize(40);
    });
    assertThat(seen).allSatisfy((m, n) -> assertThat(n).as(m).isEqualTo(1));
    Set<String> partitions = new HashSet<>();
    leases.forEach(l -> partitions.add(l.substring(0, l.indexOf('~'))));
    assertThat(partitions).as("lease ids " + leases).containsExactlyInAnyOrder("0", "1", "2", "3");
    for (String lease : leases.subList(0, 20)) {
      assertThat(client.post("/queues/" + q + "/leases/" + lease + "/ack").send().await().statusCode()).isEqualTo(204);
    }
    HttpResponse<Buffer> acks = client.post("/queues/" + q + "/acks")
      .sendJson(new JsonArray(leases.subList(20, 40))).await();
    assertThat(acks.statusCode()).as(acks.bodyAsString()).isEqualTo(204);
    assertThat(stats(q).getLong("depth")).isZero();
    HttpResponse<Buffer> unknown = client.post("/queues/" + q + "/leases/nope/ack").send().await();
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void thePartitionCountCannotChangeAndListingsShowTheQueueOnce(TestInfo info) {
    String q = unique(info);
    assertThat(put("/queues/" + q, new JsonObject().put("partitions", 3)).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> conflict = put("/queues/" + q, new JsonObject().put("partitions", 2));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(conflict.bodyAsJsonObject().getString("detail")).contains("has 3 partitions");
    assertThat(put("/queues/" + q, new JsonObject().put("maxDeliveries", 7)).statusCode()).isEqualTo(200);
    assertThat(put("/queues/" + q, new JsonObject().put("partitions", 0)).statusCode()).isEqualTo(400);
    for (int i = 0; i < 6; i++) {
      client.post("/queues/" + q + "/messages").sendBuffer(Buffer.buffer("x")).await();
    }
    assertThat(listed("queues")).containsOnlyOnce(q).noneMatch(n -> n.contains("~"));
    assertThat(stats(q).getLong("ready")).isEqualTo(6);
    assertThat(get("/queues/" + q + "~0").statusCode()).as("partitions are not addressable").isEqualTo(400);

    String t = unique(info);
    assertThat(put("/topics/" + t, new JsonObject().put("partitions", 2)).statusCode()).isEqualTo(200);
    assertThat(put("/topics/" + t, new JsonObject()).statusCode()).isEqualTo(409);
    assertThat(listed("topics")).containsOnlyOnce(t);
  }

  @Test
  void anSseStreamResumesEveryPartitionFromItsLastEventId(TestInfo info) {
    String t = unique(info);
    assertThat(put("/topics/" + t, new JsonObject().put("partitions", 3)).statusCode()).isEqualTo(200);
    for (int i = 0; i < 9; i++) {
      HttpResponse<Buffer> r = client.post("/topics/" + t + "/messages").putHeader("Ferry-Key", "k" + i)
        .sendBuffer(Buffer.buffer("a" + i)).await();
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.bodyAsJsonObject().getInteger("partition")).isBetween(0, 2);
    }
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events?from=earliest", null);
    String id;
    try {
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 9);
      id = sse.lastId();
      assertThat(id).as(sse.raw()).matches("0:\\d+,1:\\d+,2:\\d+");
      long sum = 0;
      for (String part : id.split(",")) {
        sum += Long.parseLong(part.substring(part.indexOf(':') + 1));
      }
      assertThat(sum).as(id).isEqualTo(9);
    } finally {
      sse.close();
    }
    for (int i = 0; i < 6; i++) {
      client.post("/topics/" + t + "/messages").sendBuffer(Buffer.buffer("b" + i)).await();
    }
    SseClient again = SseClient.open(vertx, port, "/topics/" + t + "/events", id);
    try {
      Awaitility.await().atMost(WAIT).until(() -> again.of("message").size() == 6);
      assertThat(again.of("message")).extracting(SseClient.Event::data)
        .containsExactlyInAnyOrder("b0", "b1", "b2", "b3", "b4", "b5");
    } finally {
      again.close();
    }
    SseClient latest = SseClient.open(vertx, port, "/topics/" + t + "/events", null);
    try {
      Awaitility.await().atMost(WAIT).until(() -> latest.lastId() != null);
      assertThat(latest.lastId()).as("the start in every partition").matches("0:\\d+,1:\\d+,2:\\d+");
    } finally {
      latest.close();
    }
    HttpResponse<Buffer> bad = client.get("/topics/" + t + "/events").putHeader("Last-Event-ID", "0:1,7:2").send()
      .await();
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("detail")).contains("partitions [7]");
    assertThat(get("/topics/" + t + "/events?from=5").statusCode()).isEqualTo(400);
  }

  @Test
  void aMultiTopicStreamFollowsEveryPartitionAndResumesEach(TestInfo info) {
    String t = unique(info);
    String plain = unique(info);
    assertThat(put("/topics/" + t, new JsonObject().put("partitions", 2)).statusCode()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      client.post("/topics/" + t + "/messages").sendBuffer(Buffer.buffer("a" + i)).await();
    }
    client.post("/topics/" + plain + "/messages").sendBuffer(Buffer.buffer("p0")).await();
    String uri = "/events?from=earliest&topic=" + t + "&topic=" + plain;
    SseClient sse = SseClient.open(vertx, port, uri, null);
    String id;
    try {
      Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(sse.of("message")).as(sse.raw()).hasSize(5));
      List<JsonObject> got = sse.of("message").stream().map(e -> new JsonObject(e.data())).toList();
      assertThat(got).filteredOn(m -> m.getString("topic").equals(t)).hasSize(4)
        .allSatisfy(m -> assertThat(m.getInteger("partition")).isBetween(0, 1));
      Awaitility.await().atMost(WAIT).until(() -> sse.lastId() != null && sse.lastId().contains(t + "~1:"));
      id = sse.lastId();
      assertThat(id).as(sse.raw()).contains(t + "~0:2", t + "~1:2", plain + ":1");
    } finally {
      sse.close();
    }
    client.post("/topics/" + t + "/messages").sendBuffer(Buffer.buffer("b0")).await();
    client.post("/topics/" + t + "/messages").sendBuffer(Buffer.buffer("b1")).await();
    SseClient again = SseClient.open(vertx, port, "/events?topic=" + t + "&topic=" + plain, id);
    try {
      Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(again.of("message")).as(again.raw()).hasSize(2));
      assertThat(again.of("message")).extracting(e -> new JsonObject(e.data()).getString("data"))
        .containsExactlyInAnyOrder("b0", "b1");
    } finally {
      again.close();
    }
  }
}
