package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class QueueHttpTest extends GatewayTestBase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void sendPullAck(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> sent = client.post("/queues/" + q + "/messages").putHeader("Content-Type", "application/json")
      .putHeader("Ferry-Header-Trace", "t-1").sendBuffer(Buffer.buffer("{\"n\":1}")).await();
    assertThat(sent.statusCode()).isEqualTo(201);
    assertThat(sent.bodyAsJsonObject().getString("queue")).isEqualTo(q);
    String id = sent.bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> pulled = call(HttpMethod.POST, "/queues/" + q + "/leases?max=10&wait=1s&visibility=30s");
    assertThat(pulled.statusCode()).isEqualTo(200);
    JsonObject d = pulled.bodyAsJsonArray().getJsonObject(0);
    assertThat(d.getString("messageId")).isEqualTo(id);
    assertThat(d.getString("contentType")).isEqualTo("application/json");
    assertThat(d.getString("data")).isEqualTo("{\"n\":1}");
    assertThat(d.getInteger("deliveryCount")).isEqualTo(1);
    assertThat(d.getJsonObject("headers").getString("trace")).isEqualTo("t-1");
    String lease = d.getString("leaseId");

    assertThat(stats(q).getLong("inFlight")).isEqualTo(1);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + lease + "/extend?visibility=1m").statusCode())
      .isEqualTo(204);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + lease + "/ack").statusCode()).isEqualTo(204);
    assertThat(stats(q).getLong("depth")).isZero();
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases?wait=0s").statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/nope/ack").statusCode()).isEqualTo(404);
  }

  @Test
  void anAbandonedLongPollGivesItsMessagesBackAtOnce(TestInfo info) {
    String q = unique(info);
    // The client gives up after 300 ms and closes its connection; the server still holds the 20 s long-poll.
    Throwable gaveUp = null;
    try {
      client.post("/queues/" + q + "/leases?max=5&wait=20s&visibility=60s").timeout(300).send().await();
    } catch (Throwable t) {
      gaveUp = t;
    }
    assertThat(gaveUp).isNotNull();
    assertThat(client.post("/queues/" + q + "/messages").sendBuffer(Buffer.buffer("x")).await().statusCode())
      .isEqualTo(201);

    // Leased to the abandoned poll, then given back: ready again long before its 60 s visibility timeout.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
      stats(q).getLong("ready") == 1 && stats(q).getLong("inFlight") == 0);
    JsonObject d = call(HttpMethod.POST, "/queues/" + q + "/leases?wait=1s").bodyAsJsonArray().getJsonObject(0);
    assertThat(d.getInteger("deliveryCount")).isEqualTo(2);
  }

  @Test
  void anAbandonedAutoAckLongPollSendsItsMessagesToTheQueueAgain(TestInfo info) {
    String q = unique(info);
    Throwable gaveUp = null;
    try {
      client.post("/queues/" + q + "/leases?max=5&wait=20s&ack=auto").timeout(300).send().await();
    } catch (Throwable t) {
      gaveUp = t;
    }
    assertThat(gaveUp).isNotNull();
    assertThat(client.post("/queues/" + q + "/messages").putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("kept")).await().statusCode()).isEqualTo(201);

    // Removed for the abandoned poll, which nobody reads: sent to the queue again instead of lost.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stats(q).getLong("ready") == 1);
    JsonObject d = call(HttpMethod.POST, "/queues/" + q + "/leases?wait=1s").bodyAsJsonArray().getJsonObject(0);
    assertThat(d.getString("data")).isEqualTo("kept");
    assertThat(d.getString("contentType")).isEqualTo("text/plain");
  }

  @Test
  void idempotencyKeyKeepsOneCopy(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> first = client.post("/queues/" + q + "/messages").putHeader("Idempotency-Key", "k1")
      .sendBuffer(Buffer.buffer("x")).await();
    HttpResponse<Buffer> again = client.post("/queues/" + q + "/messages").putHeader("Idempotency-Key", "k1")
      .sendBuffer(Buffer.buffer("x")).await();
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(stats(q).getLong("ready")).isEqualTo(1);
  }

  @Test
  void delayedMessageWaits(TestInfo info) {
    String q = unique(info);
    assertThat(client.post("/queues/" + q + "/messages").putHeader("Ferry-Delay", "1h").sendBuffer(Buffer.buffer("x"))
      .await().statusCode()).isEqualTo(201);
    assertThat(stats(q).getLong("delayed")).isEqualTo(1);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases").statusCode()).isEqualTo(204);
    assertThat(post("/queues/" + q + "/messages?delay=soon", "x").statusCode()).isEqualTo(400);
  }

  @Test
  void expiredLeaseIs410AndNackRejectRedrive(TestInfo info) {
    String q = unique(info);
    post("/queues/" + q + "/messages", "a");
    post("/queues/" + q + "/messages", "b");
    JsonArray got = call(HttpMethod.POST, "/queues/" + q + "/leases?max=2&visibility=1s").bodyAsJsonArray();
    assertThat(got).hasSize(2);
    String a = got.getJsonObject(0).getString("leaseId");
    String b = got.getJsonObject(1).getString("leaseId");
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + b + "/reject").statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(5));
    Awaitility.await().atMost(WAIT).until(() -> stats(q).getLong("inFlight") == 0);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + a + "/ack").statusCode()).isEqualTo(410);

    JsonObject again = call(HttpMethod.POST, "/queues/" + q + "/leases").bodyAsJsonArray().getJsonObject(0);
    assertThat(again.getInteger("deliveryCount")).isEqualTo(2);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + again.getString("leaseId") + "/nack?delay=0s")
      .statusCode()).isEqualTo(204);

    Awaitility.await().atMost(WAIT).until(() -> stats(q).getLong("deadLetters") == 1);
    JsonArray dead = get("/queues/" + q + "/dead-letters").bodyAsJsonArray();
    assertThat(dead).hasSize(1);
    assertThat(dead.getJsonObject(0).getString("data")).isEqualTo("b");
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/dead-letters/redrive").bodyAsJsonObject().getLong("redriven"))
      .isEqualTo(1);
    Awaitility.await().atMost(WAIT).until(() -> stats(q).getLong("ready") == 2);
  }

  @Test
  void adminConfigurePurgeDelete(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> put = client.put("/queues/" + q)
      .sendJsonObject(new JsonObject().put("visibilityTimeout", "45s").put("maxDeliveries", 3)).await();
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    JsonObject options = put.bodyAsJsonObject().getJsonObject("options");
    assertThat(options.getString("visibilityTimeout")).isEqualTo("45s");
    assertThat(options.getInteger("maxDeliveries")).isEqualTo(3);
    assertThat(client.put("/queues/" + q).sendBuffer(Buffer.buffer("{not json")).await().statusCode()).isEqualTo(400);
    assertThat(client.put("/queues/" + q).sendBuffer(Buffer.buffer("[1]")).await().statusCode()).isEqualTo(400);
    assertThat(client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxDeliveries", 0)).await()
      .statusCode()).isEqualTo(400);
    assertThat(client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxDeliveries", "x")).await()
      .statusCode()).isEqualTo(400);

    post("/queues/" + q + "/messages", "1");
    post("/queues/" + q + "/messages", "2");
    assertThat(listed("queues")).contains(q);
    assertThat(call(HttpMethod.POST, "/queues/" + q + "/purge").bodyAsJsonObject().getLong("purged")).isEqualTo(2);
    assertThat(call(HttpMethod.DELETE, "/queues/" + q).statusCode()).isEqualTo(204);
  }

  @Test
  void fullQueueIs429(TestInfo info) {
    String q = unique(info);
    client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxLength", 1)).await();
    assertThat(post("/queues/" + q + "/messages", "1").statusCode()).isEqualTo(201);
    HttpResponse<Buffer> full = post("/queues/" + q + "/messages", "2");
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.getHeader("Retry-After")).isNotNull();
  }

  @Test
  void maxBytesAndOverflowArePutAndABadPolicyIsA400(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> put = client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxBytes", 250)
      .put("overflow", "dead-letter-oldest")).await();
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    JsonObject options = stats(q).getJsonObject("options");
    assertThat(options.getLong("maxBytes")).isEqualTo(250);
    assertThat(options.getString("overflow")).isEqualTo("dead-letter-oldest");
    String body = "x".repeat(150); // an envelope adds some 60 bytes: one fits in 250, two do not
    assertThat(post("/queues/" + q + "/messages", "1" + body).statusCode()).isEqualTo(201);
    assertThat(post("/queues/" + q + "/messages", "2" + body).statusCode()).as("room made").isEqualTo(201);
    Awaitility.await().atMost(WAIT).until(() -> stats(q + ".dlq").getInteger("ready") == 1);

    HttpResponse<Buffer> bad = client.put("/queues/" + q).sendJsonObject(new JsonObject().put("overflow", "drop"))
      .await();
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(bad.bodyAsJsonObject().getString("detail")).contains("reject-new").contains("dead-letter-oldest");
  }

  @Test
  void sseDeliveriesAndLeasesReleasedOnDisconnect(TestInfo info) {
    String q = unique(info);
    for (int i = 0; i < 5; i++) {
      post("/queues/" + q + "/messages", "m" + i);
    }
    SseClient sse = SseClient.open(vertx, port, "/queues/" + q + "/deliveries?prefetch=3&visibility=10m", null);
    try {
      Awaitility.await().atMost(WAIT).until(() -> sse.of("delivery").size() == 3);
      SseClient.Event first = sse.of("delivery").get(0);
      JsonObject d = new JsonObject(first.data());
      assertThat(first.id()).isEqualTo(d.getString("leaseId"));
      assertThat(d.getString("data")).isEqualTo("m0");
      assertThat(d.fieldNames()).contains("leaseId", "messageId", "deliveryCount", "contentType", "data");
      assertThat(call(HttpMethod.POST, "/queues/" + q + "/leases/" + first.id() + "/ack").statusCode()).isEqualTo(204);
      Awaitility.await().atMost(WAIT).until(() -> sse.of("delivery").size() == 4);
      assertThat(stats(q).getLong("inFlight")).isEqualTo(3);
      assertThat(stats(q).getInteger("consumers")).isEqualTo(1);
    } finally {
      sse.close();
    }
    // Visibility is 10 minutes: only the disconnect can bring these back now.
    Awaitility.await().atMost(WAIT).until(() -> stats(q).getLong("inFlight") == 0 && stats(q).getLong("ready") == 4
      && stats(q).getInteger("consumers") == 0);
  }

  /** A problem+json answer with {@code status}. */
  static void assertProblem(HttpResponse<Buffer> r, int status, String detail) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains(detail);
  }

  @Test
  void readsNeverCreateAQueueAndDeleteIsFinal(TestInfo info) {
    String q = unique(info);
    assertProblem(get("/queues/" + q), 404, "queue '" + q + "' does not exist");
    assertThat(get("/queues/" + q).bodyAsJsonObject().getString("type")).isEqualTo("urn:ferrymq:problem:not-found");
    assertProblem(get("/queues/" + q + "/dead-letters"), 404, "does not exist");
    assertProblem(call(HttpMethod.POST, "/queues/" + q + "/dead-letters/redrive"), 404, "does not exist");
    assertProblem(call(HttpMethod.POST, "/queues/" + q + "/purge"), 404, "does not exist");
    assertProblem(call(HttpMethod.DELETE, "/queues/" + q), 404, "does not exist");
    assertProblem(get("/queues/" + q), 404, "does not exist");
    assertThat(broker.queues().await()).doesNotContain(q);

    assertThat(post("/queues/" + q + "/messages", "x").statusCode()).isEqualTo(201);
    assertThat(stats(q).getLong("ready")).isEqualTo(1);
    assertThat(call(HttpMethod.DELETE, "/queues/" + q).statusCode()).isEqualTo(204);
    assertProblem(get("/queues/" + q), 404, "does not exist");
    assertProblem(call(HttpMethod.DELETE, "/queues/" + q), 404, "does not exist");
    assertThat(broker.queues().await()).doesNotContain(q);
  }

  @Test
  void putCreatesAQueue(TestInfo info) {
    String q = unique(info);
    HttpResponse<Buffer> put = client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxDeliveries", 2))
      .await();
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(stats(q).getJsonObject("options").getInteger("maxDeliveries")).isEqualTo(2);
    assertThat(stats(q).getLong("depth")).isZero();
  }

  @Test
  void getPutRoundTripChangesNothingAndPutTakesTheGetShape(TestInfo info) {
    String q = unique(info);
    JsonObject set = new JsonObject().put("visibilityTimeout", "45s").put("maxDeliveries", 3)
      .put("deadLetterQueue", q + ".dead").put("durability", "ASYNC");
    assertThat(client.put("/queues/" + q).sendJsonObject(set).await().statusCode()).isEqualTo(200);
    post("/queues/" + q + "/messages", "x");
    JsonObject before = stats(q);

    HttpResponse<Buffer> again = client.put("/queues/" + q).sendJsonObject(before).await();
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(before);
    assertThat(stats(q)).isEqualTo(before);
    // The options alone, as GET shows them, do the same.
    assertThat(client.put("/queues/" + q).sendJsonObject(before.getJsonObject("options")).await().bodyAsJsonObject())
      .isEqualTo(before);

    // Under "options", as GET shows them, a change is applied (it used to be ignored).
    HttpResponse<Buffer> wrapped = client.put("/queues/" + q)
      .sendJsonObject(new JsonObject().put("options", new JsonObject().put("maxDeliveries", 2))).await();
    assertThat(wrapped.statusCode()).as(wrapped.bodyAsString()).isEqualTo(200);
    assertThat(stats(q).getJsonObject("options").getInteger("maxDeliveries")).isEqualTo(2);
    assertThat(stats(q).getJsonObject("options").getString("visibilityTimeout")).isEqualTo("45s");
  }

  @Test
  void putRefusesUnknownFieldsAndWrongTypesInPlainWords(TestInfo info) {
    String q = unique(info);
    assertThat(client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxDeliveries", 4)).await()
      .statusCode()).isEqualTo(200);
    HttpResponse<Buffer> misspelt = client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"maxDeliverys\":3}"))
      .await();
    assertProblem(misspelt, 400, "unknown field \"maxDeliverys\" in queue options (did you mean \"maxDeliveries\"?)");
    HttpResponse<Buffer> wrongType = client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"maxDeliveries\":\"x\"}"))
      .await();
    assertProblem(wrongType, 400, "maxDeliveries must be a whole number up to 2147483647, was \"x\" (text)");
    assertThat(wrongType.bodyAsJsonObject().getString("detail")).doesNotContain("java.", "class ");
    assertProblem(client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"options\":{\"maxLength\":\"5\"}}")).await(),
      400, "maxLength must be a whole number");
    assertProblem(client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"options\":{},\"maxLength\":5}")).await(),
      400, "unknown field \"maxLength\" beside \"options\"");
    assertProblem(client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"options\":7}")).await(), 400,
      "options must be an object");
    assertProblem(client.put("/queues/" + q).sendBuffer(Buffer.buffer("{\"visibilityTimeout\":\"soon\"}")).await(),
      400, "visibilityTimeout must be a duration");
    // Nothing was changed by the refused bodies.
    assertThat(stats(q).getJsonObject("options").getInteger("maxDeliveries")).isEqualTo(4);
    assertThat(stats(q).getJsonObject("options").getInteger("maxLength")).isZero();
  }

  private static String lease(String q) {
    return call(HttpMethod.POST, "/queues/" + q + "/leases?wait=5s").bodyAsJsonArray().getJsonObject(0)
      .getString("leaseId");
  }

  @Test
  void queueListingIsPagedSortedWithStatsAndMarksDeadLetterQueues(TestInfo info) {
    String p = unique(info);
    post("/queues/" + p + "-a/messages", "1");
    post("/queues/" + p + "-a/messages", "2");
    post("/queues/" + p + "-b/messages", "dead");
    assertThat(call(HttpMethod.POST, "/queues/" + p + "-b/leases/" + lease(p + "-b") + "/reject").statusCode())
      .isEqualTo(204);
    client.put("/queues/" + p + "-c").sendJsonObject(new JsonObject().put("deadLetterQueue", p + "-dead")).await();
    post("/queues/" + p + "-c/messages", "dead too");
    assertThat(call(HttpMethod.POST, "/queues/" + p + "-c/leases/" + lease(p + "-c") + "/reject").statusCode())
      .isEqualTo(204);
    Awaitility.await().atMost(WAIT).until(() -> stats(p + "-b").getLong("deadLetters") == 1
      && stats(p + "-c").getLong("deadLetters") == 1);

    // Sorted: -a, -b, -b.dlq, -c, -dead
    JsonObject first = get("/queues?limit=2&after=" + p).bodyAsJsonObject();
    JsonArray items = first.getJsonArray("queues");
    assertThat(items).hasSize(2);
    JsonObject a = items.getJsonObject(0);
    assertThat(a.copy().put("kind", null)).isEqualTo(stats(p + "-a").put("kind", null));
    assertThat(a.getString("kind")).isEqualTo("queue");
    assertThat(a.getLong("ready")).isEqualTo(2);
    assertThat(a.containsKey("deadLetterQueueOf")).isFalse();
    assertThat(items.getJsonObject(1).getString("queue")).isEqualTo(p + "-b");
    assertThat(first.getString("next")).isEqualTo(p + "-b");

    JsonArray second = get("/queues?limit=2&after=" + p + "-b").bodyAsJsonObject().getJsonArray("queues");
    JsonObject dlq = second.getJsonObject(0);
    assertThat(dlq.getString("queue")).isEqualTo(p + "-b.dlq");
    assertThat(dlq.getString("kind")).isEqualTo("dead-letter");
    assertThat(dlq.getJsonArray("deadLetterQueueOf")).containsExactly(p + "-b");
    assertThat(dlq.getLong("ready")).isEqualTo(1);
    assertThat(second.getJsonObject(1).getString("queue")).isEqualTo(p + "-c");
    JsonObject dead = get("/queues?limit=1&after=" + p + "-c").bodyAsJsonObject().getJsonArray("queues")
      .getJsonObject(0);
    assertThat(dead.getString("queue")).isEqualTo(p + "-dead");
    assertThat(dead.getJsonArray("deadLetterQueueOf")).containsExactly(p + "-c");

    java.util.List<String> all = listed("queues");
    assertThat(all).isSorted().doesNotHaveDuplicates().containsExactlyElementsOf(broker.queues().await());
    assertThat(get("/queues").bodyAsJsonObject().getJsonArray("queues").size()).isLessThanOrEqualTo(100);
    assertThat(get("/queues?limit=3&after=").bodyAsJsonObject().getJsonArray("queues").stream()
      .map(o -> ((JsonObject) o).getString("queue")).toList()).isEqualTo(all.subList(0, 3));
    assertProblem(get("/queues?limit=0"), 400, "limit must be an integer between 1 and 1000");
    assertProblem(get("/queues?limit=1001"), 400, "limit must be an integer between 1 and 1000");
    assertProblem(get("/queues?after=bad%20name"), 400, "invalid name");
  }
}
