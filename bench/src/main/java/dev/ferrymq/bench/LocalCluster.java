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
    return start(root, n, config, 0);
  }

  /**
   * @param config every node's config file content ({@code {"gateway":…}})
   * @param portOffset added to every port (scripts/cluster's {@code FERRYMQ_PORT_OFFSET})
   */
  static Nodes start(Path root, int n, JsonObject config, int portOffset) throws IOException, InterruptedException {
    for (int i = 1; i <= n; i++) {
      if (listening(8080 + portOffset + i)) {
        throw new IOException("port " + (8080 + portOffset + i) + " is taken: stop that node first, or pass --urls");
      }
    }
    ProcessBuilder pb = command(root, portOffset, "start", Integer.toString(n));
    Path configFile = Files.createTempFile("ferrymq-bench-cluster-", ".json");
    Files.writeString(configFile, config.encode());
    pb.environment().put("FERRYMQ_NODE_ARGS", "--echo " + Nodes.ECHO + " --config " + configFile);
    Thread hook = new Thread(() -> stop(root, portOffset), "bench-cluster-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      stop(root, portOffset);
      throw new IOException("scripts/cluster start " + n + " failed or timed out; see " + root.resolve(".cluster"));
    }
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    List<String> urls = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      urls.add("http://127.0.0.1:" + (8080 + portOffset + i));
      pids.add(pid(root, portOffset, i));
    }
    return new Nodes(urls, pids, startMs, () -> {
      stop(root, portOffset);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    });
  }

  /** @return scripts/cluster with these arguments and port offset, its output going to ours */
  static ProcessBuilder command(Path root, int portOffset, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("scripts/cluster").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("FERRYMQ_PORT_OFFSET", Integer.toString(portOffset));
    return pb;
  }

  /** @return the directory where scripts/cluster keeps its PID files and logs */
  static Path state(Path root, int portOffset) {
    return root.resolve(portOffset == 0 ? ".cluster" : ".cluster-" + portOffset);
  }

  /** @return the process id of node {@code i}, from its PID file */
  static long pid(Path root, int portOffset, int i) throws IOException {
    return Long.parseLong(Files.readString(state(root, portOffset).resolve("node-" + i + ".pid")).trim());
  }

  private static void stop(Path root, int portOffset) {
    try {
      Process p = command(root, portOffset, "stop").start();
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
