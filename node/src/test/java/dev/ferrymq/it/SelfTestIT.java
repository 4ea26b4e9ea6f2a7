package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --self-test} with the shipped cluster config, as {@code scripts/ferrymq} runs it to record the class-data
 * sharing archive: a clustered node alone must pass it and exit 0 (when it fails, every node starts without the
 * archive, twice as slowly).
 */
class SelfTestIT {

  @Test
  void aNodeAloneWithTheShippedClusterConfigPassesTheSelfTest(@TempDir Path dir) throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path log = dir.resolve("self-test.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
      "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4", "-Dhazelcast.logging.type=slf4j",
      "-Dferrymq.home=" + root, "-cp", System.getProperty("java.class.path"), "dev.ferrymq.server.Main", "--self-test")
      .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      boolean ended = p.waitFor(180, TimeUnit.SECONDS);
      List<String> lines = Files.readAllLines(log);
      assertThat(ended).as("self-test ended within 180 s; its output:\n%s", String.join("\n", lines)).isTrue();
      assertThat(p.exitValue()).as("exit status; output:\n%s", String.join("\n", lines)).isZero();
      assertThat(lines).as("output").anyMatch(l -> l.contains("self-test: passed"));
    } finally {
      p.destroyForcibly();
    }
  }
}
