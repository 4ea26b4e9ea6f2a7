package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code POST /queues/{q}/messages/batch} and {@code POST /topics/{t}/messages/batch}: many messages per request. */
class BatchPublishHttpTest extends GatewayTestBase {

  private static HttpResponse<Buffer> batch(String path, Object body) {
    return client.post(path).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body.toString())).await();
  }

  private static List<JsonObject> pull(String q, int n) {
    List<JsonObject> got = new ArrayList<>();
    while (got.size() < n) {
      call(HttpMethod.POST, "/queues/" + q + "/leases?max=100&wait=5s").bodyAsJsonArray()
        .forEach(d -> got.add((JsonObject) d));
    }
    return got;
  }

  @Test
  void queueBatchIsSentInOrderWithEachMessagesOwnTypeHeadersAndBytes(TestInfo info) {
    String q = unique(info);
    JsonArray body = new JsonArray();
    for (int i = 0; i < 100; i++) {
      body.add(new JsonObject().put("data", "m" + i));
    }
    byte[] binary = {0, (byte) 0xff, 7};
    body.set(1, new JsonObject().put("data", Base64.getEncoder().encodeToString(binary)).put("encoding", "base64")
      .put("contentType", "application/octet-stream"));
    body.set(2, new JsonObject().put("data", "{\"a\":1}").put("contentType", "application/json")
      .put("headers", new JsonObject().put("Trace", "t-2")));

    HttpResponse<Buffer> r = batch("/queues/" + q + "/messages/batch", body);
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject answer = r.bodyAsJsonObject();
    assertThat(answer.getString("queue")).isEqualTo(q);
    JsonArray messages = answer.getJsonArray("messages");
    assertThat(messages).hasSize(100);
    HashSet<String> ids = new HashSet<>();
    messages.forEach(m -> {
      assertThat(((JsonObject) m).getBoolean("duplicate")).isFalse();
      ids.add(((JsonObject) m).getString("id"));
    });
    assertThat(ids).hasSize(100);

    List<JsonObject> got = pull(q, 100);
    for (int i = 0; i < 100; i++) {
      assertThat(got.get(i).getString("messageId")).isEqualTo(messages.getJsonObject(i).getString("id"));
    }
    assertThat(got.get(0).getString("data")).isEqualTo("m0");
    assertThat(got.get(99).getString("data")).isEqualTo("m99");
    assertThat(got.get(1).getString("encoding")).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(got.get(1).getString("data"))).isEqualTo(binary);
    assertThat(got.get(1).getString("contentType")).isEqualTo("application/octet-stream");
    assertThat(got.get(2).getString("data")).isEqualTo("{\"a\":1}");
    assertThat(got.get(2).getString("contentType")).isEqualTo("application/json");
    assertThat(got.get(2).getJsonObject("headers").getString("trace")).isEqualTo("t-2");
  }

  @Test
  void topicBatchTakesConsecutiveSequenceNumbersInOrder(TestInfo info) {
    String t = unique(info);
    JsonArray body = new JsonArray();
    for (int i = 0; i < 50; i++) {
      body.add(new JsonObject().put("data", "e" + i));
    }
    HttpResponse<Buffer> r = batch("/topics/" + t + "/messages/batch", body);
    assertThat(r.statusCode()).isEqualTo(201);
    JsonArray messages = r.bodyAsJsonObject().getJsonArray("messages");
    assertThat(messages).hasSize(50);
    long first = messages.getJsonObject(0).getLong("seq");
    for (int i = 0; i < 50; i++) {
      assertThat(messages.getJsonObject(i).getLong("seq")).isEqualTo(first + i);
    }
    JsonArray history = get("/topics/" + t + "/messages?from=" + (first - 1) + "&limit=100").bodyAsJsonArray();
    assertThat(history).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(history.getJsonObject(i).getString("data")).isEqualTo("e" + i);
      assertThat(history.getJsonObject(i).getString("id")).isEqualTo(messages.getJsonObject(i).getString("id"));
    }
  }

  @Test
  void aResentBatchWithIdempotencyKeysAddsNothing(TestInfo info) {
    String q = unique(info);
    JsonArray body = new JsonArray().add(new JsonObject().put("data", "a").put("idempotencyKey", "k-a"))
      .add(new JsonObject().put("data", "b").put("idempotencyKey", "k-b"))
      .add(new JsonObject().put("data", "a again").put("idempotencyKey", "k-a"));
    HttpResponse<Buffer> first = batch("/queues/" + q + "/messages/batch", body);
    assertThat(first.statusCode()).isEqualTo(201);
    JsonArray firstIds = first.bodyAsJsonObject().getJsonArray("messages");
    assertThat(firstIds.getJsonObject(2).getBoolean("duplicate")).as("a key twice in one batch").isTrue();
    assertThat(firstIds.getJsonObject(2).getString("id")).isEqualTo(firstIds.getJsonObject(0).getString("id"));
    HttpResponse<Buffer> again = batch("/queues/" + q + "/messages/batch", body);
    assertThat(again.statusCode()).isEqualTo(200);
    JsonArray againIds = again.bodyAsJsonObject().getJsonArray("messages");
    for (int i = 0; i < 3; i++) {
      assertThat(againIds.getJsonObject(i).getString("id")).isEqualTo(firstIds.getJsonObject(i).getString("id"));
      assertThat(againIds.getJsonObject(i).getBoolean("duplicate")).isTrue();
    }
    assertThat(stats(q).getLong("depth")).isEqualTo(2);
  }

  @Test
  void aBatchWithAnyBadMessageIs400AndSendsNothing(TestInfo info) {
    String q = unique(info);
    String ok = "{\"data\":\"fine\"}";
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= BatchHandlers.MAX_BATCH; i++) {
      tooMany.add(new JsonObject().put("data", "x"));
    }
    List<Object> bodies = List.of("not json", "{\"data\":\"x\"}", "[]", tooMany, "[\"x\"]", "[{}]",
      "[" + ok + ",{\"data\":1}]", "[" + ok + ",{\"data\":\"!!\",\"encoding\":\"base64\"}]",
      "[" + ok + ",{\"data\":\"x\",\"encoding\":\"gzip\"}]", "[" + ok + ",{\"data\":\"x\",\"contenttype\":\"a/b\"}]",
      "[" + ok + ",{\"data\":\"x\",\"delay\":\"soon\"}]", "[" + ok + ",{\"data\":\"x\",\"ttl\":\"-1s\"}]",
      "[" + ok + ",{\"data\":\"x\",\"headers\":{\"a\":1}}]", "[" + ok + ",{\"data\":\"x\",\"headers\":[]}]");
    for (Object body : bodies) {
      HttpResponse<Buffer> r = batch("/queues/" + q + "/messages/batch", body);
      String what = body.toString().substring(0, Math.min(60, body.toString().length()));
      assertThat(r.statusCode()).as(what).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).as(what).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("type")).as(what).isEqualTo("urn:ferrymq:problem:invalid-request");
    }
    HttpResponse<Buffer> topic = batch("/topics/" + q + "/messages/batch", "[{\"data\":\"x\",\"delay\":\"1s\"}]");
    assertThat(topic.statusCode()).as("delay is for queues only").isEqualTo(400);
    // Nothing was sent: the queue was not even created.
    assertThat(get("/queues/" + q).statusCode()).isEqualTo(404);
  }

  @Test
  void whenSomeMessagesFailTheAnswerSaysWhichAndTheOthersAreSent(TestInfo info) {
    String q = unique(info);
    assertThat(client.put("/queues/" + q).sendJsonObject(new JsonObject().put("maxLength", 2)).await().statusCode())
      .isEqualTo(200);
    JsonArray body = new JsonArray();
    for (int i = 0; i < 3; i++) {
      body.add(new JsonObject().put("data", "m" + i));
    }
    HttpResponse<Buffer> r = batch("/queues/" + q + "/messages/batch", body);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.getHeader("Retry-After")).isEqualTo("1");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:ferrymq:problem:batch-failed");
    assertThat(problem.getInteger("sent")).isEqualTo(2);
    JsonArray messages = problem.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("id")).isNotBlank();
    assertThat(messages.getJsonObject(1).getString("id")).isNotBlank();
    assertThat(messages.getJsonObject(2).getInteger("status")).isEqualTo(429);
    assertThat(messages.getJsonObject(2).getString("type")).isEqualTo("urn:ferrymq:problem:queue-full");
    assertThat(stats(q).getLong("depth")).isEqualTo(2);
  }
}
