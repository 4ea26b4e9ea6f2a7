package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 durability of the embedded store: a child JVM ({@link KillChild}) prints seqs only after their commit,
 * is SIGKILLed at a random moment, and every printed seq must be in the reopened database.
 */
@Timeout(180)
class SqliteKillTest {

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @RepeatedTest(5)
  void everyConfirmedRowSurvivesKill9() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Output to a file, not a pipe: the JDK closes a dead child's pipe under a concurrent reader.
    Path out = dir.resolve("child.out");
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
      KillChild.class.getName(), dir.resolve("data").toString(), "120")
      .redirectOutput(out.toFile())
      .redirectError(dir.resolve("child.err").toFile())
      .start();
    try {
      long killAtBytes = ThreadLocalRandom.current().nextLong(2_000, 400_000);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(1))
        .until(() -> Files.size(out) >= killAtBytes || !child.isAlive());
      assertThat(child.isAlive()).as("child alive (see %s)", dir.resolve("child.err")).isTrue();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    Set<Long> confirmed = new HashSet<>();
    int lines = 0;
    for (String line : Files.readAllLines(out)) {
      // A line the kill cut short has no " end": its seqs may be truncated.
      if (line.startsWith("ok ") && line.endsWith(" end")) {
        for (String seq : line.substring(3, line.length() - 4).split(" ")) {
          confirmed.add(Long.parseLong(seq));
        }
        lines++;
      }
    }

    MessageStore store = Stores.open(vertx, new StoreOptions().setDataDir(dir.resolve("data").toString()))
      .await(60, TimeUnit.SECONDS);
    try {
      List<StoredMessage> rows = store.loadQueue(KillChild.QUEUE).await(60, TimeUnit.SECONDS);
      Set<Long> stored = rows.stream().map(StoredMessage::seq).collect(Collectors.toSet());
      Set<Long> lost = new HashSet<>(confirmed);
      lost.removeAll(stored);
      System.out.printf("kill -9 after %d confirmed batches: %d rows confirmed, %d stored (%d committed but not "
        + "yet confirmed), %d lost%n", lines, confirmed.size(), stored.size(),
        stored.size() - (confirmed.size() - lost.size()), lost.size());
      assertThat(lost).as("confirmed rows missing after kill -9").isEmpty();
    } finally {
      store.close().await(30, TimeUnit.SECONDS);
    }
  }
}
