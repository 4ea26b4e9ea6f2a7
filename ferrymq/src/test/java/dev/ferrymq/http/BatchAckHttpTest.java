package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code POST /queues/{q}/acks}: many acks in one request. */
class BatchAckHttpTest extends GatewayTestBase {

  private static List<String> sendAndPull(String q, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(post("/queues/" + q + "/messages", "m" + i).statusCode()).isEqualTo(201);
    }
    List<String> leases = new ArrayList<>();
    while (leases.size() < n) {
      JsonArray got = call(HttpMethod.POST, "/queues/" + q + "/leases?max=100&wait=5s").bodyAsJsonArray();
      got.forEach(d -> leases.add(((JsonObject) d).getString("leaseId")));
    }
    return leases;
  }

  private static HttpResponse<Buffer> acks(String q, Object body) {
    return client.post("/queues/" + q + "/acks").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body.toString())).await();
  }

  @Test
  void acksAllLeasesInOneRequest(TestInfo info) {
    String q = unique(info);
    List<String> leases = sendAndPull(q, 5);
    assertThat(acks(q, new JsonArray(leases)).statusCode()).isEqualTo(204);
    JsonObject stats = get("/queues/" + q).bodyAsJsonObject();
    assertThat(stats.getLong("depth")).isZero();
    assertThat(stats.getLong("inFlight")).isZero();
  }

  @Test
  void unknownLeasesAreListedAndTheOthersAcked(TestInfo info) {
    String q = unique(info);
    List<String> leases = sendAndPull(q, 2);
    HttpResponse<Buffer> r = acks(q, new JsonArray().add(leases.get(0)).add("nope").add(leases.get(1)));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:ferrymq:problem:batch-failed");
    assertThat(problem.getInteger("acked")).isEqualTo(2);
    assertThat(problem.getJsonArray("failed")).containsExactly(new JsonObject().put("leaseId", "nope")
      .put("status", 404).put("type", "urn:ferrymq:problem:lease-not-found"));
    assertThat(get("/queues/" + q).bodyAsJsonObject().getLong("inFlight")).isZero();
  }

  @Test
  void malformedBodiesAre400(TestInfo info) {
    String q = unique(info);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= LeaseHandlers.MAX_BATCH; i++) {
      tooMany.add("l" + i);
    }
    for (Object body : List.of("{\"a\":1}", "[]", "[1,2]", "not json", tooMany)) {
      HttpResponse<Buffer> r = acks(q, body);
      assertThat(r.statusCode()).as(String.valueOf(body).substring(0, Math.min(20, body.toString().length())))
        .isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("urn:ferrymq:problem:invalid-request");
    }
  }
}
