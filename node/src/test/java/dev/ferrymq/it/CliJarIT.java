package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command-line client as users run it: the shaded jar ({@code java -jar ferrymq-node-…-all.jar <command>}, and
 * through {@code scripts/ferrymq}) in its own JVM against a node in another: publish from stdin, consume with acks,
 * listings as JSON, and the exit codes of a missing queue, a bad option and an unreachable node.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CliJarIT {

  private static NodeProcess node;
  private static Path jar;
  private static Path dir;

  /** One run of the client: exit code, stdout, stderr, wall time. */
  record Run(int code, String out, String err, long millis) {

    List<String> lines() {
      return out.lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + code + " after " + millis + " ms\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  @BeforeAll
  static void startNode() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().matches("ferrymq-node-.*-all\\.jar")).findFirst()
        .orElseThrow(() -> new AssertionError("no shaded jar in target/: this IT runs after the package phase"))
        .toAbsolutePath();
    }
    dir = Path.of("target", "it-cli").toAbsolutePath();
    Files.createDirectories(dir);
    Path data = Files.createTempDirectory(dir, "data");
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("broker", new JsonObject()
      .put("store", new JsonObject().put("type", "sqlite").put("dataDir", data.toString()))).encode());
    node = new NodeProcess(0, freePort(), List.of("--config", config.toString()), dir);
    node.start();
    node.awaitReady(java.time.Duration.ofSeconds(120));
  }

  @AfterAll
  static void stopNode() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void publishFromStdinConsumeWithAckListAndExitCodes() throws Exception {
    String q = "cli-it";
    String lines = IntStream.range(0, 500).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    Run sent = cli(lines, List.of(), "publish", "--queue", q, "-");
    assertThat(sent.code()).as("%s", sent).isZero();
    assertThat(sent.out()).as("%s", sent).isEqualTo("sent 500 messages to queue " + q + "\n");

    Run listed = cli("", List.of(), "queues", "--json");
    assertThat(listed.code()).as("%s", listed).isZero();
    JsonArray queues = new JsonObject(listed.out()).getJsonArray("queues");
    JsonObject mine = queues.stream().map(JsonObject.class::cast).filter(j -> q.equals(j.getString("queue")))
      .findFirst().orElseThrow(() -> new AssertionError(listed.toString()));
    assertThat(mine.getLong("ready")).as("%s", listed).isEqualTo(500);

    Run consumed = cli("", List.of(), "consume", "--queue", q, "--max", "500", "--json", "--batch", "200");
    assertThat(consumed.code()).as("%s", consumed).isZero();
    List<JsonObject> deliveries = consumed.lines().stream().map(JsonObject::new).toList();
    assertThat(deliveries).extracting(d -> d.getString("data"))
      .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> "line " + i).toList());

    Run stats = cli("", List.of(), "stats", "--json", q);
    assertThat(stats.code()).as("%s", stats).isZero();
    JsonObject after = new JsonObject(stats.out());
    assertThat(after.getLong("ready") + after.getLong("inFlight")).as("all acked: %s", stats).isZero();

    Run missing = cli("", List.of(), "stats", "never-made");
    assertThat(missing.code()).as("%s", missing).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("ferrymq: no queue or topic named never-made\n");
    Run usage = cli("", List.of(), "consume", "--queue", q, "--no-such-option");
    assertThat(usage.code()).as("%s", usage).isEqualTo(1);
    Run token = exec(dir, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
      jar.toString(), "token", "--publish", "orders.*", "--ttl", "5m"), "",
      Map.of("FERRYMQ_JWT_SECRET", "a-development-secret-0123456789abcdef"));
    assertThat(token.code()).as("%s", token).isZero();
    assertThat(token.out()).as("%s", token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+\\n");
    Run version = cli("", List.of(), "--version");
    assertThat(version.out()).as("%s", version).startsWith("ferrymq 0.1.0");
    System.out.printf("CliJarIT: java -jar … --version took %d ms, publish of 500 lines %d ms, consume %d ms%n",
      version.millis(), sent.millis(), consumed.millis());
  }

  @Test
  void theScriptPassesCommandsThroughAndMakesNoDataDir() throws Exception {
    Path cwd = Files.createTempDirectory(dir, "cwd");
    Path script = Path.of("..", "scripts", "ferrymq").toAbsolutePath().normalize();
    Run topics = script(cwd, script, "topics", "--json");
    assertThat(topics.code()).as("%s", topics).isZero();
    assertThat(new JsonObject(topics.out()).getJsonArray("topics")).isNotNull();
    Run published = script(cwd, script, "--json", "publish", "--topic", "cli-it-news", "hello");
    assertThat(published.code()).as("%s", published).isZero();
    assertThat(new JsonObject(published.out()).getLong("seq")).isEqualTo(1);
    Run unreachable = script(cwd, script, "--url", "http://127.0.0.1:" + freePort(), "cluster");
    assertThat(unreachable.code()).as("%s", unreachable).isEqualTo(4);
    assertThat(unreachable.err()).contains("cannot reach a node");
    try (Stream<Path> left = Files.list(cwd)) {
      assertThat(left.toList()).as("a command makes no data dir").isEmpty();
    }
  }

  private static Run script(Path cwd, Path script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    return exec(cwd, cmd, "", Map.of("FERRYMQ_JAR", jar.toString()));
  }

  private static Run cli(String stdin, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return exec(dir, cmd, stdin, Map.of());
  }

  private static Run exec(Path cwd, List<String> cmd, String stdin, Map<String, String> moreEnv) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
      .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = new HashMap<>(moreEnv);
    env.put("FERRYMQ_URL", "http://127.0.0.1:" + node.httpPort);
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the client did not read stdin
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(cmd + " still running after 120 s; stderr: " + Files.readString(err));
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err), millis);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
