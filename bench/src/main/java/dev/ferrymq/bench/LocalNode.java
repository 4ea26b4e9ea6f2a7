package dev.ferrymq.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts one node as a child JVM ({@code scripts/ferrymq}) on a free port of 127.0.0.1, in a fresh data directory,
 * and times it from spawn to {@code GET /health/ready} = 200. Stopped with SIGTERM (SIGKILL after 30 s), and also
 * when the harness exits.
 */
final class LocalNode {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private LocalNode() {
  }

  /** @param config the node's config file content ({@code {"broker":…,"gateway":…}}) */
  static Nodes start(Path root, JsonObject config) throws IOException, InterruptedException {
    return start(root, config, java.util.Map.of());
  }

  /** @param env variables added to the node's environment (e.g. {@code FERRYMQ_JAVA_OPTS}) */
  static Nodes start(Path root, JsonObject config, java.util.Map<String, String> env)
    throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("ferrymq-bench-");
    Path configFile = dir.resolve("node.json");
    Files.writeString(configFile, config.encode());
    long t0 = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/ferrymq").toString(), "--config",
      configFile.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--echo", Nodes.ECHO)
      .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    Thread hook = new Thread(p::destroyForcibly, "bench-node-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    Runnable stop = () -> {
      stop(p);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
      deleteTree(dir);
    };
    String url = "http://127.0.0.1:" + port;
    try {
      awaitReady(url, List.of(p), t0 + READY_TIMEOUT.toNanos(), dir.resolve("node.log"));
    } catch (IOException | RuntimeException e) {
      stop.run();
      throw e;
    }
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    return new Nodes(List.of(url), List.of(p.pid()), startMs, stop);
  }

  /** Polls {@code url/health/ready} every 20 ms until 200, a process dies, or the deadline passes. */
  static void awaitReady(String url, List<Process> processes, long deadlineNanos, Path log)
    throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
    while (true) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IOException("the node exited with " + p.exitValue() + "; see " + log);
        }
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IOException("the node was not ready in time; see " + log);
      }
      Thread.sleep(20); // polling a child process from the main thread
    }
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind
    }
  }
}
