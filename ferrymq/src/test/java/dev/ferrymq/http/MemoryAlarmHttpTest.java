package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory alarm over HTTP: a send above the watermark is a 503 problem {@code memory-alarm} with
 * {@code Retry-After}, a batch is answered per message, {@code /health/ready} shows the alarm and stays 200, pulls
 * and acks drain the backlog, and sends are accepted again — every accepted message delivered once.
 */
@Timeout(120)
class MemoryAlarmHttpTest {

  static final int WATERMARK = 256 * 1024;
  static final int PAYLOAD = 4096;

  static Vertx vertx;
  static Broker broker;
  static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    broker = Broker.create(vertx, new BrokerOptions().setTickInterval(Duration.ofMillis(10))
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))
      .setMemoryHighWatermark((double) WATERMARK / Runtime.getRuntime().maxMemory())).await();
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
    vertx.deployVerticle(gateway).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(gateway.actualPort()));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (broker != null) {
      broker.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void aSendAboveTheWatermarkIsA503ProblemAndSendsResumeAfterTheDrain() {
    String q = "http-alarm";
    List<String> accepted = new ArrayList<>();
    HttpResponse<Buffer> refused = null;
    for (int i = 0; i < 10 * WATERMARK / PAYLOAD && refused == null; i++) {
      HttpResponse<Buffer> r = client.post("/queues/" + q + "/messages").sendBuffer(payload(i)).await();
      if (r.statusCode() == 201) {
        accepted.add(r.bodyAsJsonObject().getString("id"));
      } else {
        refused = r;
      }
    }
    assertThat(refused).as("no send refused after %d", accepted.size()).isNotNull();
    assertProblem(refused, "memory-alarm");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("memory for queued messages is full");
    assertProblem(client.post("/queues/another-queue/messages").sendBuffer(payload(0)).await(), "memory-alarm");

    HttpResponse<Buffer> ready = client.get("/health/ready").send().await();
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    JsonObject memory = ready.bodyAsJsonObject().getJsonObject("memory");
    assertThat(memory.getBoolean("alarm")).as(ready.bodyAsString()).isTrue();
    assertThat(memory.getLong("heldBytes")).isGreaterThan(memory.getLong("highWatermarkBytes"));

    HttpResponse<Buffer> batch = client.post("/queues/" + q + "/messages/batch")
      .sendBuffer(Buffer.buffer("[{\"data\":\"a\"},{\"data\":\"b\"},{\"data\":\"c\"}]")).await();
    assertProblem(batch, "batch-failed");
    JsonObject answer = batch.bodyAsJsonObject();
    assertThat(answer.getInteger("sent")).as(batch.bodyAsString()).isZero();
    JsonArray messages = answer.getJsonArray("messages");
    assertThat(messages).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(messages.getJsonObject(i).getInteger("status")).as(batch.bodyAsString()).isEqualTo(503);
      assertThat(messages.getJsonObject(i).getString("type")).isEqualTo("urn:ferrymq:problem:memory-alarm");
    }

    Set<String> seen = drain(q, accepted.size());
    assertThat(seen).as("every accepted message delivered once").isEqualTo(new HashSet<>(accepted));
    await("the alarm goes off by itself").atMost(Duration.ofSeconds(30)).until(() -> !client.get("/health/ready")
      .send().await().bodyAsJsonObject().getJsonObject("memory").getBoolean("alarm"));

    HttpResponse<Buffer> again = client.post("/queues/" + q + "/messages").sendBuffer(payload(0)).await();
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> batchAgain = client.post("/queues/" + q + "/messages/batch")
      .sendBuffer(Buffer.buffer("[{\"data\":\"a\"},{\"data\":\"b\"}]")).await();
    assertThat(batchAgain.statusCode()).as(batchAgain.bodyAsString()).isEqualTo(201);
    assertThat(drain(q, 3)).hasSize(3);
  }

  private static void assertProblem(HttpResponse<Buffer> r, String type) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.getHeader("Retry-After")).as("Retry-After").isNotBlank();
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:ferrymq:problem:" + type);
    assertThat(problem.getInteger("status")).isEqualTo(503);
  }

  /** Pulls and acks until {@code n} messages came. @return their ids; fails on a duplicate */
  private static Set<String> drain(String q, int n) {
    Set<String> seen = new HashSet<>();
    await("drained " + n + " messages").atMost(Duration.ofSeconds(60)).until(() -> {
      HttpResponse<Buffer> r = client.post("/queues/" + q + "/leases?max=50").send().await();
      if (r.statusCode() == 204) {
        return seen.size() >= n;
      }
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonArray leases = new JsonArray();
      for (Object o : r.bodyAsJsonArray()) {
        JsonObject d = (JsonObject) o;
        assertThat(seen.add(d.getString("messageId"))).as("delivered twice: %s", d.getString("messageId")).isTrue();
        leases.add(d.getString("leaseId"));
      }
      HttpResponse<Buffer> acked = client.post("/queues/" + q + "/acks").sendBuffer(leases.toBuffer()).await();
      assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(204);
      return seen.size() >= n;
    });
    return seen;
  }

  private static Buffer payload(int i) {
    Buffer b = Buffer.buffer(PAYLOAD).appendString("m" + i + " ");
    while (b.length() < PAYLOAD) {
      b.appendByte((byte) 'x');
    }
    return b;
  }
}
