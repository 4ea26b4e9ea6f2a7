package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Never a zombie: with the JVM flags the node runs with (the pom's {@code ferrymq.jvm.flags}, which
 * {@code scripts/ferrymq} reads), a JVM whose heap runs out exits instead of serving nothing; and an uncaught error
 * of a thread is logged once.
 */
public class OutOfMemoryExitTest {

  @Test
  void theNodesJvmFlagsMakeAnOutOfMemoryJvmExit() throws Exception {
    List<String> flags = nodeJvmFlags();
    assertThat(flags).contains("-XX:+ExitOnOutOfMemoryError");
    Path log = Files.createTempFile("ferrymq-oom", ".log");
    Process p = child(flags, log);
    try {
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("the JVM exits on OutOfMemoryError; its output:\n%s", output).isTrue();
      assertThat(p.exitValue()).as(output).isEqualTo(3); // HotSpot's status for ExitOnOutOfMemoryError
      assertThat(output).contains("Terminating due to java.lang.OutOfMemoryError");
      assertThat(count(output, "thread failing-worker ended with an uncaught error")).as(output).isEqualTo(1);
      assertThat(output).contains("a worker failed on purpose");
    } finally {
      p.destroyForcibly();
    }
  }

  /** The control: without the flag the same JVM stays up after its worker ran out of heap, which the test above rules out. */
  @Test
  void withoutTheFlagTheSameJvmStaysUpAsAZombie() throws Exception {
    List<String> flags = new ArrayList<>(nodeJvmFlags());
    flags.remove("-XX:+ExitOnOutOfMemoryError");
    Path log = Files.createTempFile("ferrymq-oom", ".log");
    Process p = child(flags, log);
    try {
      Awaitility.await("the worker's OutOfMemoryError is logged (log: " + log + ")").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(log).contains("thread heap-filler ended with an uncaught error"));
      String output = Files.readString(log);
      assertThat(output).contains("java.lang.OutOfMemoryError");
      assertThat(p.waitFor(2, TimeUnit.SECONDS)).as("still up (a zombie) without the flag:\n%s", output).isFalse();
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process child(List<String> flags, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-Xmx32m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(OutOfMemoryChild.class.getName());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** @return the pom's {@code ferrymq.jvm.flags}, read as {@code scripts/ferrymq} reads them */
  public static List<String> nodeJvmFlags() throws IOException {
    String root = System.getProperty("ferrymq.root", "..");
    String pom = Files.readString(Path.of(root, "pom.xml"));
    Matcher m = Pattern.compile("<ferrymq.jvm.flags>(.*)</ferrymq.jvm.flags>").matcher(pom);
    assertThat(m.find()).as("ferrymq.jvm.flags in %s/pom.xml", root).isTrue();
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
