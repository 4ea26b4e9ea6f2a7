package dev.ferrymq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scaling model (scripts/scaling-model, docs/SCALING.md) keeps its invariants on the measured costs in
 * docs/bench/scaling-costs.json, and prints its table from them.
 */
class ScalingModelTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theModelsSelfTestPasses() throws Exception {
    String out = run("--self-test");
    assertThat(out).contains("PASS").doesNotContain("FAIL");
  }

  @Test
  void theTableCoversThreeToFortyEightNodesFromTheCostsFile() throws Exception {
    String out = run();
    assertThat(out).contains("docs/bench/scaling-costs.json").contains("many destinations")
      .contains("one hot destination");
    for (String n : new String[] {"  3 ", "  6 ", " 12 ", " 48 "}) {
      assertThat(out.lines().filter(l -> l.startsWith(n)).count()).as("rows for N =%s", n).isEqualTo(2);
    }
  }

  private static String run(String... args) throws IOException, InterruptedException {
    assumeTrue(python(), "python3 is not installed");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("python3",
      ROOT.resolve("scripts/scaling-model").toString()));
    cmd.addAll(java.util.List.of(args));
    Path log = Files.createTempFile("scaling-model", ".txt");
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
      .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the model finishes").isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static boolean python() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
