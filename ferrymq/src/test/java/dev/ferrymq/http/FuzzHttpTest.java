package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Sends 1,200 random malformed requests over raw sockets to 127.0.0.1 (bounded: one at a time, 10 s read timeout each)
 * and checks that none is answered with a 5xx and that the broker still works afterwards.
 */
class FuzzHttpTest extends GatewayTestBase {

  private static final int REQUESTS = 1200;
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
    "FOO", "G\u00e9T", "", "POST POST"};
  private static final String[] PATHS = {"/topics/%s/messages", "/topics/%s/events", "/topics/%s", "/topics",
    "/events", "/queues/%s/messages", "/queues/%s/leases", "/queues/%s/leases/%s/ack", "/queues/%s/leases/%s/nack",
    "/queues/%s/leases/%s/extend", "/queues/%s/leases/%s/reject", "/queues/%s", "/queues/%s/purge",
    "/queues/%s/dead-letters", "/queues/%s/dead-letters/redrive", "/queues/%s/deliveries", "/requests/%s",
    "/health/live", "/health/ready", "/openapi.json", "/%s", "//", "/../../etc/passwd", "*", "/queues/%s/%s/%s/%s",
    "/queues/%s/messages/batch", "/topics/%s/messages/batch", "/queues/%s/acks"};
  private static final String[] NAMES = {"fuzz", "fuzz-q", "fuzz.t_1", "fuzz-echo", "", "a b", "%FF%FE", "%00",
    "..", "%2e%2e", "caf\u00e9", "x".repeat(201), "%", "%zz", "a/b", "\u00ff\u00fe", "<script>", "a%0d%0aX: y"};
  private static final String[] QUERIES = {"", "?from=earliest", "?from=-7", "?from=99999999999999999999",
    "?max=0", "?max=1&wait=0s", "?wait=1ms", "?wait=-1s", "?visibility=0s", "?prefetch=100000", "?limit=abc",
    "?topic=fuzz&topic=%FF", "?timeout=50ms", "?delay=9999d", "?%%%", "?a=%", "?x=" + "q".repeat(5000),
    "?topic=" + "t,".repeat(40), "?timeout=abc", "?=&=&", "?after=%FF", "?limit=1001&after=",
    "?limit=2&after=" + "a".repeat(300)};
  private static final String[] BODIES = {"", "{", "{\"capacity\":-1}", "{\"maxLength\":\"x\"}", "[1,2]", "null",
    "{\"visibilityTimeout\":\"1ms\"}", "{\"ttl\":\"forever\"}", "\u0000\u0001", "{\"durability\":\"hard\"}",
    "{\"capacity\":10}", "{\"deadLetterQueue\":\"a b\"}", "{\"maxDeliveries\":1e99}", "hello", "[{}]", "[[]]",
    "[{\"data\":1}]", "[{\"data\":\"x\",\"encoding\":\"base64\"}]", "[{\"data\":\"x\",\"headers\":{\"a\":[1]}}]",
    "[{\"data\":\"x\",\"delay\":\"9999d\",\"ttl\":\"0s\"}]", "[{\"data\":\"x\",\"idempotencyKey\":\"\"}]", "[\"lease\"]",
    "{\"options\":7}", "{\"options\":{\"maxDeliverys\":1}}", "{\"options\":{},\"queue\":[1]}",
    "{\"maxDeliveries\":9999999999}", "{\"options\":{\"capacity\":null}}", "{\"ttl\":{}}"};
  private static final String[] HEADERS = {"Last-Event-ID: garbage", "Last-Event-ID: fuzz:x,y", "Last-Event-ID: 5",
    "Last-Event-ID: -3", "Content-Type: application/x-www-form-urlencoded", "Content-Type: multipart/form-data",
    "Idempotency-Key: " + "k".repeat(300), "Idempotency-Key: ", "Prefer: wait=abc", "Prefer: wait=0",
    "Ferry-Delay: nope", "Ferry-Delay: 1ms", "Expect: 100-continue", "Expect: nothing", "Transfer-Encoding: gzip",
    "X-Huge: " + "h".repeat(9000), "Bad Header Line", "Content-Length: abc", "Content-Length: -1"};

  @Test
  void randomMalformedRequestsNever5xx() throws Exception {
    MessageConsumer<Buffer> echo = vertx.eventBus().<Buffer>consumer("fuzz-echo", m -> m.reply(m.body()));
    echo.completion().await();
    Random random = new Random(20240611L);
    Map<Integer, Integer> statuses = new TreeMap<>();
    int noAnswer = 0;
    for (int i = 0; i < REQUESTS; i++) {
      byte[] request = randomRequest(random);
      int status = send(request);
      if (status < 0) {
        noAnswer++;
      } else {
        statuses.merge(status, 1, Integer::sum);
      }
      String text = new String(request, StandardCharsets.ISO_8859_1);
      if (status == 503 && text.startsWith("POST /requests/")) {
        continue; // the contract's answer to a request nobody listens for (no-handler), not a failure
      }
      assertThat(status).as("request %d: %s", i, text).isLessThan(500);
    }
    echo.unregister().await();
    System.out.println("fuzz: statuses " + statuses + ", closed without answer " + noAnswer);
    assertThat(statuses.keySet()).anyMatch(s -> s >= 400);

    // The broker and gateway still work.
    assertThat(post("/topics/after-fuzz/messages", "ok").statusCode()).isEqualTo(201);
    assertThat(post("/queues/after-fuzz/messages", "ok").statusCode()).isEqualTo(201);
    assertThat(call(HttpMethod.POST, "/queues/after-fuzz/leases").bodyAsJsonArray().getJsonObject(0)
      .getString("data")).isEqualTo("ok");
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  private static String pick(Random r, String[] options) {
    return options[r.nextInt(options.length)];
  }

  private static byte[] randomRequest(Random r) {
    String path = pick(r, PATHS);
    int holes = path.split("%s", -1).length - 1;
    Object[] names = new Object[holes];
    for (int h = 0; h < holes; h++) {
      names[h] = pick(r, NAMES);
    }
    String target = String.format(path, names) + pick(r, QUERIES);
    String body = r.nextInt(4) == 0 ? "" : pick(r, BODIES);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = (pick(r, METHODS) + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(head);
    for (int h = r.nextInt(3); h > 0; h--) {
      out.writeBytes((pick(r, HEADERS) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (r.nextInt(5) == 0) {
      bytes = new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, '{'};
    }
    out.writeBytes(("Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  /** @return the status of the answer, or -1 when the server closed the connection without one */
  private static int send(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may refuse and close while we still write; what it answered is still readable.
      }
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      try {
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
          line.append((char) c);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer within 10 s to " + new String(request, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        return -1;
      }
      List<String> parts = List.of(line.toString().trim().split(" "));
      if (parts.size() < 2 || !parts.get(0).startsWith("HTTP/")) {
        return -1;
      }
      return Integer.parseInt(parts.get(1));
    }
  }
}
