package dev.ferrymq.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-node cluster started and stopped with {@code scripts/cluster} (HTTP on 8081–8083, each node with the echo
 * responder), for the {@code --cluster} path.
 */
final class LocalCluster {

  private static final long START_TIMEOUT_S = 300;

  private LocalCluster() {
  }

  /** @param config every node's config file content ({@code {"gateway":…}}) */
  static Nodes start(Path root, int n, JsonObject config) throws IOException, InterruptedException {
    for (int i = 1; i <= n; i++) {
      if (listening(8080 + i)) {
        throw new IOException("port " + (8080 + i) + " is taken: stop that node first, or pass --urls");
      }
    }
    ProcessBuilder pb = new ProcessBuilder(root.resolve("scripts/cluster").toString(), "start", Integer.toString(n))
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    Path configFile = Files.createTempFile("ferrymq-bench-cluster-", ".json");
    Files.writeString(configFile, config.encode());
    pb.environment().put("FERRYMQ_NODE_ARGS", "--echo " + Nodes.ECHO + " --config " + configFile);
    Thread hook = new Thread(() -> stop(root), "bench-cluster-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      stop(root);
      throw new IOException("scripts/cluster start " + n + " failed or timed out; see " + root.resolve(".cluster"));
    }
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    List<String> urls = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      urls.add("http://127.0.0.1:" + (8080 + i));
      pids.add(Long.parseLong(Files.readString(root.resolve(".cluster/node-" + i + ".pid")).trim()));
    }
    return new Nodes(urls, pids, startMs, () -> {
      stop(root);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    });
  }

  private static void stop(Path root) {
    try {
      Process p = new ProcessBuilder(root.resolve("scripts/cluster").toString(), "stop")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("scripts/cluster stop failed: " + e);
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
