package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's graceful drain on SIGTERM, in a real JVM: {@code /health/ready} answers 503 while the listener still
 * accepts, for the drain time; then connections are refused, an open SSE stream ends with its last comment, and the
 * process exits with status 0 within its limit. The same node logs JSON lines ({@code --log-format json}), an access
 * line per request, and never the JWT secret it was given through {@code FERRYMQ_JWT_SECRET}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DrainIT {

  private static final String SECRET = "drain-it-secret-0123456789abcdef0123456789";
  private static final Duration DRAIN_TIME = Duration.ofSeconds(3);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  private NodeProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void readinessGoesNotReadyBeforeTheListenerClosesAndTheNodeExitsZero() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "it-drain"));
    Path data = dir.resolve("data-" + System.nanoTime());
    Files.deleteIfExists(dir.resolve("node-0.log")); // the log of an earlier run would be checked too
    node = new NodeProcess(0, ClusterKillIT.freePorts(1)[0], List.of("--log-format", "json", "--access-log",
      "--drain-time", DRAIN_TIME.toSeconds() + "s", "--drain-limit", DRAIN_LIMIT.toSeconds() + "s"), dir)
      .env("FERRYMQ_JWT_SECRET", SECRET)
      .env("FERRYMQ_GATEWAY_AUTH_ANONYMOUS_SUBSCRIBE", "drain.*")
      .env("FERRYMQ_BROKER_STORE_DATA_DIR", data.toString());
    node.start();
    node.awaitReady(Duration.ofSeconds(180));

    List<String> stream = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpResponse<InputStream> sse = NodeProcess.HTTP.send(HttpRequest.newBuilder(node.uri("/topics/drain.t/events"))
      .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(sse.statusCode()).isEqualTo(200);
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          stream.add(line);
        }
      } catch (IOException e) {
        stream.add("(read failed: " + e + ")");
      }
    });

    long t0 = System.nanoTime();
    node.terminate();
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    long[] first503 = {-1};
    long[] firstRefused = {-1};
    org.awaitility.Awaitility.await("connections refused after SIGTERM").atMost(DRAIN_LIMIT)
      .pollInterval(Duration.ofMillis(100)).until(() -> {
        try {
          int status = NodeProcess.HTTP.send(node.get("/health/ready"), HttpResponse.BodyHandlers.discarding())
            .statusCode();
          seen.add(String.format("%.2f s: %d", secs(t0), status));
          if (status == 503 && first503[0] < 0) {
            first503[0] = System.nanoTime();
          }
          return false;
        } catch (IOException e) {
          seen.add(String.format("%.2f s: %s", secs(t0), e.getClass().getSimpleName()));
          firstRefused[0] = System.nanoTime();
          return true;
        }
      });
    Integer exit = node.awaitExit(DRAIN_LIMIT.plusSeconds(10));
    double exitedAfter = secs(t0);
    reader.get(30, TimeUnit.SECONDS);
    String log = node.log();
    System.out.printf("DrainIT: readiness after SIGTERM %s; exit %s after %.1f s; stream %s%n", seen, exit,
      exitedAfter, stream);

    assertThat(first503[0]).as("readiness answered 503 while still listening: %s", seen).isPositive();
    assertThat(firstRefused[0]).as("then connections were refused: %s", seen).isGreaterThan(first503[0]);
    assertThat((firstRefused[0] - first503[0]) / 1e9).as("503 for about the drain time: %s", seen)
      .isGreaterThan(DRAIN_TIME.toSeconds() - 1.0);
    assertThat(exit).as("exit status (null: still running after the limit); log:%n%s", log).isEqualTo(0);
    assertThat(exitedAfter).isLessThan(DRAIN_LIMIT.toSeconds() + 10.0);
    assertThat(stream).as("the SSE stream's last lines").contains(": closed: the node is stopping: reconnect");

    assertThat(log).as("the secret is never logged").doesNotContain(SECRET);
    List<String> notJson = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (String line : log.lines().toList()) {
      if (line.startsWith("{")) {
        try {
          JsonObject event = new JsonObject(line);
          messages.add(event.getString("loggerName") + ": " + event.getString("formattedMessage"));
        } catch (DecodeException e) {
          notJson.add(line);
        }
      } else if (!line.startsWith("FerryMQ ")) { // the start line the node prints on stdout for people
        notJson.add(line);
      }
    }
    assertThat(notJson).as("log lines that are not JSON").isEmpty();
    assertThat(messages).as("the access log line of the SSE stream, written when it ended")
      .anyMatch(m -> m.startsWith("dev.ferrymq.access: GET /topics/drain.t/events 200 "));
    assertThat(messages).anyMatch(m -> m.startsWith("dev.ferrymq.drain: stopped in "));
    assertThat(messages).as("the configuration, logged with its secret masked")
      .anyMatch(m -> m.startsWith("dev.ferrymq.server.Main: configuration") && m.contains("\"secret\":\"***\""));
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
