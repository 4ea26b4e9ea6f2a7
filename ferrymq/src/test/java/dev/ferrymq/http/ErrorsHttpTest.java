package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.GatewayOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorsHttpTest extends GatewayTestBase {

  @BeforeAll
  static void smallBodyLimit() {
    client.close();
    vertx.undeploy(gateway.deploymentID()).await();
    startGateway(gatewayOptions().setBodyLimit(64 * 1024));
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject p = r.bodyAsJsonObject();
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("type")).startsWith(Problems.TYPE_PREFIX);
    assertThat(p.getString("title")).isNotBlank();
    assertThat(p.getString("detail")).isNotBlank();
  }

  @Test
  void invalidNamesAre400() {
    assertProblem(post("/topics/bad%20name/messages", "x"), 400);
    assertProblem(post("/queues/a%2Fb/messages", "x"), 400);
    assertProblem(get("/queues/" + "x".repeat(201)), 400);
    assertProblem(post("/requests/%C3%A9t%C3%A9", "x"), 400);
    assertProblem(get("/topics/caf%C3%A9/events"), 400);
  }

  @Test
  void anEmptyNameInThePathIs400NotAnotherRoute() {
    // vertx-web folds "//" into "/": this used to reach /queues/:queue as the queue "messages" and answer 405.
    HttpResponse<Buffer> r = post("/queues//messages", "x");
    assertProblem(r, 400);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("empty segment", "name is missing");
    assertProblem(post("/topics//messages", "x"), 400);
    assertProblem(get("/topics//events"), 400);
    assertProblem(call(HttpMethod.POST, "/queues/q5/leases//ack"), 400);
    assertProblem(call(HttpMethod.DELETE, "/queues//"), 400);
    assertThat(get("/queues/messages").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownRouteIs404AndWrongMethod405() {
    assertProblem(get("/nothing/here"), 404);
    HttpResponse<Buffer> r = call(HttpMethod.DELETE, "/topics/t1/messages");
    assertProblem(r, 405);
    assertThat(r.getHeader("Allow")).contains("GET", "POST");
    assertProblem(call(HttpMethod.PATCH, "/queues/q1"), 405);
  }

  @Test
  void bodyOverLimitIs413() {
    assertProblem(post("/queues/big/messages", "x".repeat(64 * 1024 + 1)), 413);
    assertThat(post("/queues/big/messages", "x".repeat(64 * 1024)).statusCode()).isEqualTo(201);
  }

  @Test
  void declaredHugeBodyIs413BeforeItIsSent() {
    // Only the headers go out: the answer must come without the server waiting for 100 MB.
    NetClient net = vertx.createNetClient();
    AtomicReference<String> answer = new AtomicReference<>("");
    AtomicInteger closed = new AtomicInteger();
    NetSocket socket = net.connect(port, "127.0.0.1").await();
    socket.handler(b -> answer.accumulateAndGet(b.toString(StandardCharsets.ISO_8859_1), String::concat));
    socket.closeHandler(v -> closed.incrementAndGet());
    socket.write("POST /queues/big2/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\nabc");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answer.get().contains("application/problem+json")
      && closed.get() == 1);
    assertThat(answer.get()).startsWith("HTTP/1.1 413");
    net.close();
  }

  @Test
  void chunkedBodyOverLimitIs413() {
    NetClient net = vertx.createNetClient();
    AtomicReference<String> answer = new AtomicReference<>("");
    NetSocket socket = net.connect(port, "127.0.0.1").await();
    socket.handler(b -> answer.accumulateAndGet(b.toString(StandardCharsets.ISO_8859_1), String::concat));
    socket.write("POST /topics/big3/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    String chunk = Integer.toHexString(40_000) + "\r\n" + "y".repeat(40_000) + "\r\n";
    socket.write(chunk + chunk);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answer.get().contains("problem+json"));
    assertThat(answer.get()).startsWith("HTTP/1.1 413");
    net.close();
  }

  @Test
  void malformedParametersAre400() {
    assertProblem(call(HttpMethod.POST, "/queues/q2/leases?max=0"), 400);
    assertProblem(call(HttpMethod.POST, "/queues/q2/leases?max=abc"), 400);
    assertProblem(call(HttpMethod.POST, "/queues/q2/leases?wait=forever"), 400);
    assertProblem(get("/topics/t2/messages?limit=100000"), 400);
    assertProblem(get("/queues/q2/deliveries?prefetch=0"), 400);
    assertProblem(client.put("/topics/t2").sendBuffer(Buffer.buffer("{\"capacity\":")).await(), 400);
    assertProblem(client.put("/topics/t2").sendBuffer(Buffer.buffer("{\"capacity\":\"many\"}")).await(), 400);
  }

  @Test
  void topicCapacityChangeIs409() {
    assertThat(client.put("/topics/t3").sendJsonObject(new JsonObject().put("capacity", 10)).await().statusCode())
      .isEqualTo(200);
    assertProblem(client.put("/topics/t3").sendJsonObject(new JsonObject().put("capacity", 20)).await(), 409);
  }

  @Test
  void hugeHeadersAndLinesAre4xx() {
    HttpResponse<Buffer> longLine = get("/queues/q4?x=" + "a".repeat(20_000));
    assertThat(longLine.statusCode()).isEqualTo(414);
    HttpResponse<Buffer> bigHeader = client.get("/health/live").putHeader("X-Big", "b".repeat(20_000)).send().await();
    assertThat(bigHeader.statusCode()).isEqualTo(431);
  }

  @Test
  void healthAndOpenApi() {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(get("/openapi.json").bodyAsJsonObject().getString("openapi")).startsWith("3.1");
  }
}
