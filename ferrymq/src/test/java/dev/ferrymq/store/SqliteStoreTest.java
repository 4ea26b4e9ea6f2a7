package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest extends StoreContractTest {

  @TempDir
  static Path dir;

  @Override
  protected MessageStore open(Vertx vertx) throws Exception {
    return get(Stores.open(vertx, new StoreOptions().setDataDir(dir.toString())));
  }

  @Test
  void fileIsInWalModeWithSchemaVersion() throws Exception {
    get(store.insertQueueMessages("wal", List.of(StoredMessage.of(1, bytes("x")))));
    assertThat(Files.exists(dir.resolve(SqliteStore.FILE))).isTrue();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE));
         Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet rs = s.executeQuery("SELECT version FROM fmq_schema_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(Schema.current());
      }
    }
  }

  @Test
  void connectionsFsyncEveryCommit() throws Exception {
    SqliteStore sqlite = new SqliteStore(vertx, new StoreOptions().setDataDir(dir.toString()));
    try (Connection c = new org.sqlite.JDBC().connect(sqlite.url(), new java.util.Properties());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("2 = FULL").isEqualTo(2);
    }
  }

  /** Another process holds the write lock: writes fail with UnavailableException, then succeed once it lets go. */
  @Test
  void lockedFileFailsWritesThenRecovers() throws Exception {
    Path other = Files.createTempDirectory(dir, "locked");
    SqliteStore locked = new SqliteStore(vertx, new StoreOptions().setDataDir(other.toString()), 200);
    get(locked.start());
    try (Connection c = new org.sqlite.JDBC().connect(locked.url(), new java.util.Properties());
         Statement s = c.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      Future<Void> blocked = locked.insertQueueMessages("q", List.of(StoredMessage.of(1, bytes("a"))));
      assertThatThrownBy(() -> get(blocked)).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("locked");
      s.execute("COMMIT");
      get(locked.insertQueueMessages("q", List.of(StoredMessage.of(2, bytes("b")))));
      assertThat(get(locked.loadQueue("q"))).extracting(StoredMessage::seq).containsExactly(2L);
    } finally {
      get(locked.close());
    }
  }

  @Test
  void reopenKeepsEverything() throws Exception {
    Path other = Files.createTempDirectory(dir, "reopen");
    StoreOptions options = new StoreOptions().setDataDir(other.toString());
    MessageStore first = get(Stores.open(vertx, options));
    get(first.insertQueueMessages("q", List.of(StoredMessage.of(1, bytes("a")), StoredMessage.of(2, bytes("b")))));
    get(first.saveOptions(MessageStore.Kind.QUEUE, "q", "{}"));
    get(first.close());
    MessageStore second = get(Stores.open(vertx, options));
    try {
      assertThat(get(second.loadQueue("q"))).extracting(StoredMessage::seq).containsExactly(1L, 2L);
      assertThat(get(second.loadOptions(MessageStore.Kind.QUEUE))).containsKey("q");
    } finally {
      get(second.close());
    }
  }
}
