package dev.ferrymq.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code --self-test}: what a node does in its first seconds (health, a queue's send, lease and ack, a topic's
 * publish), over HTTP against itself. Run by {@code scripts/ferrymq} to record a class-data-sharing archive.
 */
final class SelfTest {

  private SelfTest() {
  }

  /** @return a port of 127.0.0.1 that was free a moment ago */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** @return whether every step answered as it should; prints what failed */
  static boolean run(int httpPort) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + httpPort;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (call(http, "GET", base + "/health/ready", null).statusCode() != 200) {
        if (System.nanoTime() > deadline) {
          System.err.println("self-test: not ready after 60 s");
          return false;
        }
        Thread.sleep(100);
      }
      expect(call(http, "POST", base + "/queues/self-test/messages", "hello"), 201);
      HttpResponse<String> leases = expect(call(http, "POST", base + "/queues/self-test/leases?max=1&wait=5s", ""), 200);
      String leaseId = new io.vertx.core.json.JsonArray(leases.body()).getJsonObject(0).getString("leaseId");
      expect(call(http, "POST", base + "/queues/self-test/leases/" + leaseId + "/ack", ""), 204);
      expect(call(http, "POST", base + "/topics/self-test/messages", "hello"), 201);
      expect(call(http, "GET", base + "/cluster", null), 200);
      System.out.println("self-test: passed");
      return true;
    } catch (Exception e) {
      System.err.println("self-test: " + e);
      return false;
    }
  }

  private static HttpResponse<String> call(HttpClient http, String method, String uri, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
      .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
        + response.statusCode() + " instead of " + status + ": " + response.body());
    }
    return response;
  }
}
