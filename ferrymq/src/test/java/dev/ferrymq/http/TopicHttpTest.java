package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class TopicHttpTest extends GatewayTestBase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void publishAnswers201WithSeqAndId(TestInfo info) {
    String t = unique(info);
    HttpResponse<Buffer> r1 = client.post("/topics/" + t + "/messages").putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("one")).await();
    HttpResponse<Buffer> r2 = post("/topics/" + t + "/messages", "two");
    assertThat(r1.statusCode()).isEqualTo(201);
    JsonObject j1 = r1.bodyAsJsonObject();
    assertThat(j1.getString("topic")).isEqualTo(t);
    assertThat(j1.getLong("seq")).isEqualTo(1);
    assertThat(j1.getString("id")).isNotBlank();
    assertThat(r2.bodyAsJsonObject().getLong("seq")).isEqualTo(2);

    JsonArray history = get("/topics/" + t + "/messages?from=earliest").bodyAsJsonArray();
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("data")).isEqualTo("one");
    assertThat(history.getJsonObject(0).getString("contentType")).isEqualTo("text/plain");
    assertThat(history.getJsonObject(0).getString("id")).isEqualTo(j1.getString("id"));
    assertThat(get("/topics/" + t + "/messages?from=1&limit=5").bodyAsJsonArray()).hasSize(1);
    assertThat(get("/topics/" + t).bodyAsJsonObject().getLong("lastSeq")).isEqualTo(2);
    assertThat(listed("topics")).contains(t);
  }

  @Test
  void sseStreamsLiveMessagesWithHeadersIdsAndHeartbeats(TestInfo info) {
    String t = unique(info);
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events", null);
    try {
      assertThat(sse.response.statusCode()).isEqualTo(200);
      assertThat(sse.response.getHeader("Content-Type")).startsWith("text/event-stream");
      assertThat(sse.response.getHeader("Cache-Control")).isEqualTo("no-cache");
      assertThat(sse.response.getHeader("X-Accel-Buffering")).isEqualTo("no");
      Awaitility.await().atMost(WAIT).until(() -> "0".equals(sse.lastId()));
      post("/topics/" + t + "/messages", "line one\nline two");
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 1);
      SseClient.Event e = sse.of("message").get(0);
      assertThat(e.id()).isEqualTo("1");
      assertThat(e.data()).isEqualTo("line one\nline two");
      assertThat(sse.raw()).contains("retry: ").contains("data: line one\ndata: line two\n\n");
      Awaitility.await().atMost(WAIT).until(() -> sse.raw().contains(": heartbeat"));
    } finally {
      sse.close();
    }
  }

  @Test
  void resumesFromLastEventIdAndFrom(TestInfo info) {
    String t = unique(info);
    for (int i = 1; i <= 5; i++) {
      post("/topics/" + t + "/messages", "m" + i);
    }
    SseClient resumed = SseClient.open(vertx, port, "/topics/" + t + "/events", "3");
    SseClient earliest = SseClient.open(vertx, port, "/topics/" + t + "/events?from=earliest", null);
    try {
      Awaitility.await().atMost(WAIT).until(() -> resumed.of("message").size() == 2 && earliest.of("message").size() == 5);
      assertThat(resumed.of("message")).extracting(SseClient.Event::data).containsExactly("m4", "m5");
      assertThat(earliest.of("message")).extracting(SseClient.Event::id).containsExactly("1", "2", "3", "4", "5");
    } finally {
      resumed.close();
      earliest.close();
    }
  }

  @Test
  void gapIsAnnouncedWhenHistoryNoLongerReaches(TestInfo info) {
    String t = unique(info);
    HttpResponse<Buffer> put = client.put("/topics/" + t).sendJsonObject(new JsonObject().put("capacity", 2)).await();
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    for (int i = 1; i <= 5; i++) {
      post("/topics/" + t + "/messages", "m" + i);
    }
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events", "1");
    try {
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 2);
      JsonObject gap = new JsonObject(sse.of("gap").get(0).data());
      assertThat(gap.getLong("requested")).isEqualTo(2);
      assertThat(gap.getLong("oldest")).isEqualTo(4);
      assertThat(sse.of("message")).extracting(SseClient.Event::data).containsExactly("m4", "m5");
    } finally {
      sse.close();
    }
  }

  @Test
  void noFieldInjectionAndBinaryPayloadsAsBase64(TestInfo info) {
    String t = unique(info);
    String injection = "a\n\nevent: x\ndata: y\n";
    String withCr = "b\r\nid: 99\rc";
    byte[] binary = {(byte) 0xff, 0, 1, (byte) 0xfe};
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events?from=earliest", null);
    try {
      post("/topics/" + t + "/messages", injection);
      post("/topics/" + t + "/messages", withCr);
      client.post("/topics/" + t + "/messages").putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(binary)).await();
      post("/topics/" + t + "/messages", "base64:looks like the marker");
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 4);
      assertThat(sse.events).noneMatch(e -> "x".equals(e.event()) || "99".equals(e.id()));
      assertThat(sse.of("message")).extracting(SseClient.Event::id).containsExactly("1", "2", "3", "4");
      assertThat(sse.of("message").get(0).data()).isEqualTo(injection);
      assertThat(decode(sse.of("message").get(1).data())).isEqualTo(withCr.getBytes());
      assertThat(decode(sse.of("message").get(2).data())).isEqualTo(binary);
      assertThat(new String(decode(sse.of("message").get(3).data()))).isEqualTo("base64:looks like the marker");
    } finally {
      sse.close();
    }
  }

  private static byte[] decode(String data) {
    assertThat(data).startsWith(SseStream.BASE64_MARKER);
    return Base64.getDecoder().decode(data.substring(SseStream.BASE64_MARKER.length()));
  }

  @Test
  void multiTopicStreamResumesEachTopic(TestInfo info) {
    String a = unique(info);
    String b = unique(info);
    SseClient sse = SseClient.open(vertx, port, "/events?topic=" + a + "&topic=" + b, null);
    String id;
    try {
      Awaitility.await().atMost(WAIT).until(() -> (a + ":0," + b + ":0").equals(sse.lastId()));
      post("/topics/" + a + "/messages", "a1");
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 1);
      post("/topics/" + b + "/messages", "b1");
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 2);
      JsonObject first = new JsonObject(sse.of("message").get(0).data());
      assertThat(first.getString("topic")).isEqualTo(a);
      assertThat(first.getString("data")).isEqualTo("a1");
      id = sse.lastId();
      assertThat(id).isEqualTo(a + ":1," + b + ":1");
    } finally {
      sse.close();
    }
    post("/topics/" + a + "/messages", "a2");
    post("/topics/" + b + "/messages", "b2");
    SseClient again = SseClient.open(vertx, port, "/events?topic=" + a + "&topic=" + b, id);
    try {
      Awaitility.await().atMost(WAIT).until(() -> again.of("message").size() == 2);
      assertThat(again.of("message")).extracting(e -> new JsonObject(e.data()).getString("data"))
        .containsExactlyInAnyOrder("a2", "b2");
      assertThat(again.lastId()).isEqualTo(a + ":2," + b + ":2");
    } finally {
      again.close();
    }
  }

  @Test
  void badStreamRequestsAre400Problems(TestInfo info) {
    String t = unique(info);
    assertThat(get("/topics/" + t + "/events?from=soon").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> r = client.get("/topics/" + t + "/events").putHeader("Last-Event-ID", "x").send().await();
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(get("/events").statusCode()).isEqualTo(400);
    assertThat(get("/events?topic=bad%20name").statusCode()).isEqualTo(400);
  }

  @Test
  void readsNeverCreateATopic(TestInfo info) {
    String t = unique(info);
    QueueHttpTest.assertProblem(get("/topics/" + t), 404, "topic '" + t + "' does not exist");
    QueueHttpTest.assertProblem(get("/topics/" + t + "/messages"), 404, "does not exist");
    QueueHttpTest.assertProblem(get("/topics/" + t), 404, "does not exist");
    assertThat(broker.topics().await()).doesNotContain(t);
    assertThat(post("/topics/" + t + "/messages", "x").statusCode()).isEqualTo(201);
    assertThat(get("/topics/" + t).bodyAsJsonObject().getLong("lastSeq")).isEqualTo(1);
  }

  @Test
  void putCreatesATopic(TestInfo info) {
    String t = unique(info);
    HttpResponse<Buffer> put = client.put("/topics/" + t).sendJsonObject(new JsonObject().put("capacity", 5)).await();
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(get("/topics/" + t).bodyAsJsonObject().getJsonObject("options").getInteger("capacity")).isEqualTo(5);
  }

  @Test
  void getPutRoundTripChangesNothingAndBadBodiesAre400(TestInfo info) {
    String t = unique(info);
    JsonObject set = new JsonObject().put("capacity", 5).put("ttl", "1h").put("durability", "MEMORY");
    assertThat(client.put("/topics/" + t).sendJsonObject(set).await().statusCode()).isEqualTo(200);
    post("/topics/" + t + "/messages", "x");
    JsonObject before = get("/topics/" + t).bodyAsJsonObject();
    HttpResponse<Buffer> again = client.put("/topics/" + t).sendJsonObject(before).await();
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(before);
    assertThat(client.put("/topics/" + t).sendJsonObject(before.getJsonObject("options")).await().bodyAsJsonObject())
      .isEqualTo(before);

    QueueHttpTest.assertProblem(client.put("/topics/" + t).sendBuffer(Buffer.buffer("{\"capcity\":5}")).await(), 400,
      "unknown field \"capcity\" in topic options (did you mean \"capacity\"?)");
    QueueHttpTest.assertProblem(client.put("/topics/" + t).sendBuffer(Buffer.buffer("{\"capacity\":\"many\"}")).await(),
      400, "capacity must be a whole number up to 2147483647, was \"many\" (text)");
    QueueHttpTest.assertProblem(client.put("/topics/" + t)
      .sendBuffer(Buffer.buffer("{\"options\":{\"ttl\":[]}}")).await(), 400, "ttl must be a duration");
    assertThat(get("/topics/" + t).bodyAsJsonObject()).isEqualTo(before);
  }

  @Test
  void deleteTopicIs204ThenGone(TestInfo info) {
    String t = unique(info);
    post("/topics/" + t + "/messages", "one");
    post("/topics/" + t + "/messages", "two");
    SseClient sse = SseClient.open(vertx, port, "/topics/" + t + "/events?from=earliest", null);
    try {
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 2);
      assertThat(client.delete("/topics/" + t).send().await().statusCode()).isEqualTo(204);
      QueueHttpTest.assertProblem(get("/topics/" + t), 404, "does not exist");
      QueueHttpTest.assertProblem(get("/topics/" + t + "/messages"), 404, "does not exist");
      QueueHttpTest.assertProblem(client.delete("/topics/" + t).send().await(), 404,
        "topic '" + t + "' does not exist");
      assertThat(listed("topics")).doesNotContain(t);

      // The open stream is told (a gap back to 1) and follows the topic created again by the next publish.
      Awaitility.await().atMost(WAIT).until(() -> sse.of("gap").size() == 1);
      JsonObject gap = new JsonObject(sse.of("gap").get(0).data());
      assertThat(gap.getLong("requested")).isEqualTo(3);
      assertThat(gap.getLong("oldest")).isEqualTo(1);
      assertThat(post("/topics/" + t + "/messages", "again").bodyAsJsonObject().getLong("seq")).isEqualTo(1);
      Awaitility.await().atMost(WAIT).until(() -> sse.of("message").size() == 3);
      assertThat(sse.of("message").get(2).id()).isEqualTo("1");
      assertThat(sse.of("message").get(2).data()).isEqualTo("again");
      assertThat(get("/topics/" + t + "/messages").bodyAsJsonArray()).hasSize(1);
    } finally {
      sse.close();
    }
    QueueHttpTest.assertProblem(client.delete("/topics/bad%20name").send().await(), 400, "invalid name");
  }

  @Test
  void topicListingIsPagedSortedWithStats(TestInfo info) {
    String p = unique(info);
    post("/topics/" + p + "-a/messages", "1");
    post("/topics/" + p + "-a/messages", "2");
    post("/topics/" + p + "-b/messages", "1");
    client.put("/topics/" + p + "-c").sendJsonObject(new JsonObject().put("capacity", 3)).await();

    JsonObject first = get("/topics?limit=2&after=" + p).bodyAsJsonObject();
    JsonArray items = first.getJsonArray("topics");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0)).isEqualTo(get("/topics/" + p + "-a").bodyAsJsonObject());
    assertThat(items.getJsonObject(0).getLong("lastSeq")).isEqualTo(2);
    assertThat(items.getJsonObject(1).getString("topic")).isEqualTo(p + "-b");
    assertThat(first.getString("next")).isEqualTo(p + "-b");
    JsonObject second = get("/topics?limit=2&after=" + first.getString("next")).bodyAsJsonObject();
    assertThat(second.getJsonArray("topics").getJsonObject(0).getString("topic")).isEqualTo(p + "-c");
    assertThat(second.getJsonArray("topics").getJsonObject(0).getJsonObject("options").getInteger("capacity"))
      .isEqualTo(3);

    java.util.List<String> all = listed("topics");
    assertThat(all).isSorted().doesNotHaveDuplicates().contains(p + "-a", p + "-b", p + "-c")
      .containsExactlyElementsOf(broker.topics().await());
    JsonObject whole = get("/topics").bodyAsJsonObject();
    assertThat(whole.getJsonArray("topics").size()).isLessThanOrEqualTo(100);
    QueueHttpTest.assertProblem(get("/topics?limit=abc"), 400, "limit must be an integer between 1 and 1000");
    QueueHttpTest.assertProblem(get("/topics?after=bad%20name"), 400, "invalid name");
  }
}
