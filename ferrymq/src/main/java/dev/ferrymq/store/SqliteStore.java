package dev.ferrymq.store;

import com.zaxxer.hikari.HikariConfig;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The embedded store: {@code <dataDir>/ferrymq.db} in WAL mode with {@code synchronous=FULL}, so every commit is
 * fsynced before its writes are confirmed (no confirmed row lost in kill -9 trials; see docs/PERSISTENCE.md).
 */
final class SqliteStore extends JdbcStore {

  /** The database file's name in the data directory. */
  static final String FILE = "ferrymq.db";

  private final Path dir;
  private final String url;

  /**
   * WAL pages after which a commit checkpoints the log into the database (SQLite's default is 1,000). Queue rows are
   * inserted and deleted again within moments, so a longer log lets one checkpoint copy only the last version of each
   * page: 1.4x the rows per second of the default in a store microbenchmark (1 KiB rows, 500 per commit). The log
   * then grows to about 40 MiB before it is reused.
   */
  static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

  /** How long a write waits for a lock another process holds on the file before it fails. */
  static final int BUSY_TIMEOUT_MS = 10_000;

  SqliteStore(Vertx vertx, StoreOptions options) {
    this(vertx, options, BUSY_TIMEOUT_MS);
  }

  SqliteStore(Vertx vertx, StoreOptions options, int busyTimeoutMs) {
    super(vertx, options, "sqlite");
    this.dir = Path.of(options.getDataDir()).toAbsolutePath();
    this.url = "jdbc:sqlite:" + dir.resolve(FILE) + "?journal_mode=WAL&synchronous=FULL&busy_timeout="
      + busyTimeoutMs;
    if (System.getProperty("org.sqlite.tmpdir") == null) {
      // sqlite-jdbc unpacks its native library there; the node's own dir works where /tmp is noexec.
      System.setProperty("org.sqlite.tmpdir", dir.toString());
    }
  }

  /** @return the JDBC URL, with the durability settings */
  String url() {
    return url;
  }

  @Override
  protected Connection openConnection() throws SQLException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SQLException("cannot create the data directory " + dir + ": " + e, e);
    }
    Connection c = new org.sqlite.JDBC().connect(url, new Properties());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  protected HikariConfig readerConfig() {
    HikariConfig config = new HikariConfig();
    config.setDriverClassName(org.sqlite.JDBC.class.getName());
    config.setJdbcUrl(url);
    return config;
  }

  @Override
  protected String blobType() {
    return "BLOB";
  }
}
