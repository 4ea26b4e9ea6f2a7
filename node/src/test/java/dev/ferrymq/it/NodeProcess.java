package dev.ferrymq.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A FerryMQ node in its own JVM (dev.ferrymq.server.Main on the test classpath), for failover tests. */
final class NodeProcess {

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  final int index;
  final int httpPort;
  private String host = "127.0.0.1";
  private List<String> launcher = List.of();
  private final List<String> args;
  private final List<String> jvmArgs;
  private final Path log;
  private Process process;
  /** Environment variables of the node JVM: a short drain by default, so that stopping a test's nodes stays quick. */
  private final java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("FERRYMQ_DRAIN_TIME",
    "500ms"));
  volatile String nodeId;

  NodeProcess(int index, int httpPort, List<String> args, Path logDir) {
    this(index, httpPort, List.of(), args, logDir);
  }

  /** @param jvmArgs more JVM arguments, after the defaults (so {@code -Xmx} here wins) */
  NodeProcess(int index, int httpPort, List<String> jvmArgs, List<String> args, Path logDir) {
    this.index = index;
    this.httpPort = httpPort;
    this.jvmArgs = jvmArgs;
    this.args = args;
    this.log = logDir.resolve("node-" + index + ".log");
  }

  /**
   * Runs the JVM through {@code launcher} (e.g. {@code ip netns exec NS}, which execs it: the process is the JVM) and
   * talks HTTP to it at {@code host}. @return this
   */
  NodeProcess in(List<String> launcher, String host) {
    this.launcher = launcher;
    this.host = host;
    return this;
  }

  void start() throws IOException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
    cmd.add("-Dhazelcast.logging.type=slf4j");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.ferrymq.server.Main");
    cmd.addAll(args);
    cmd.add("--port");
    cmd.add(Integer.toString(httpPort));
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
  }

  /** Waits until {@code /health/ready} says 200, or fails after {@code timeout}. */
  void awaitReady(Duration timeout) {
    org.awaitility.Awaitility.await("node " + index + " ready (log: " + log + ")").atMost(timeout)
      .pollInterval(Duration.ofMillis(250)).until(this::ready);
  }

  private boolean ready() throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("node " + index + " exited; see " + log);
    }
    try {
      HttpResponse<String> r = HTTP.send(get("/health/ready"), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        nodeId = new io.vertx.core.json.JsonObject(r.body()).getString("node");
        return true;
      }
    } catch (IOException e) {
      // not listening yet
    }
    return false;
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build();
  }

  URI uri(String path) {
    return URI.create("http://" + host + ":" + httpPort + path);
  }

  /** Sets an environment variable of the node's JVM from its next start on. @return this */
  NodeProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** SIGTERM (the node drains and exits by itself); does not wait. */
  void terminate() {
    process.destroy();
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then kill -9 after a grace period. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** Waits up to {@code timeout} for the process to end. @return its exit status, or {@code null} if still running */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** @return the node's output so far */
  String log() throws IOException {
    return Files.readString(log);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** POSTs {@code body} to {@code path} of node {@code n}. */
  static HttpResponse<String> post(NodeProcess n, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(n.uri(path)).timeout(Duration.ofSeconds(60))
      .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Starts every node, then waits until each is ready. */
  static void startAll(List<NodeProcess> nodes) throws Exception {
    for (NodeProcess n : nodes) {
      n.start();
    }
    for (NodeProcess n : nodes) {
      n.awaitReady(Duration.ofSeconds(180));
    }
  }
}
