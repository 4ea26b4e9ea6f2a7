package dev.ferrymq.store;

import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** PostgreSQL stops under a running store: writes and loads fail fast, then succeed again once it is back. */
@Timeout(180)
class PostgresOutageTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private EmbeddedPostgres pg;
  private MessageStore store;

  @AfterEach
  void stop() throws Exception {
    try {
      if (store != null) {
        store.close().await(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false).setPort(port)
      .start();
  }

  private static List<StoredMessage> row(long seq) {
    return List.of(StoredMessage.of(seq, new byte[] {(byte) seq}));
  }

  @Test
  void failsFastWhileDownAndRecoversByItself() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg = startPostgres(port);
    vertx = Vertx.vertx();
    store = Stores.open(vertx, PostgresStoreTest.options(pg)).await(60, TimeUnit.SECONDS);
    store.insertQueueMessages("q", row(1)).await(30, TimeUnit.SECONDS);

    pg.close();
    pg = null;
    for (long seq = 2; seq <= 3; seq++) {
      long started = System.nanoTime();
      Future<Void> insert = store.insertQueueMessages("q", row(seq));
      assertThatThrownBy(() -> insert.await(30, TimeUnit.SECONDS)).isInstanceOf(UnavailableException.class);
      System.out.printf("insert with PostgreSQL down failed after %d ms: %s%n",
        (System.nanoTime() - started) / 1_000_000, insert.cause().getMessage());
    }
    assertThatThrownBy(() -> store.loadQueue("q").await(30, TimeUnit.SECONDS))
      .isInstanceOf(UnavailableException.class);

    pg = startPostgres(port);
    long restarted = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
      .until(() -> store.insertQueueMessages("q", row(4)).await(10, TimeUnit.SECONDS) == null);
    System.out.printf("inserts succeed again %d ms after the restart%n", (System.nanoTime() - restarted) / 1_000_000);
    assertThat(store.loadQueue("q").await(30, TimeUnit.SECONDS)).extracting(StoredMessage::seq)
      .containsExactly(1L, 4L);
  }

  /** A restart while the store is idle costs no failed write: the dead connection is replaced and the batch retried. */
  @Test
  void restartWhileIdleIsInvisible() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg = startPostgres(port);
    vertx = Vertx.vertx();
    store = Stores.open(vertx, PostgresStoreTest.options(pg)).await(60, TimeUnit.SECONDS);
    store.insertQueueMessages("q", row(1)).await(30, TimeUnit.SECONDS);
    pg.close();
    pg = startPostgres(port);
    store.insertQueueMessages("q", row(2)).await(30, TimeUnit.SECONDS);
    assertThat(store.loadQueue("q").await(30, TimeUnit.SECONDS)).extracting(StoredMessage::seq)
      .containsExactly(1L, 2L);
  }
}
