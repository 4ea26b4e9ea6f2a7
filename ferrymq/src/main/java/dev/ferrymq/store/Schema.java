package dev.ferrymq.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The tables and their migrations; {@code fmq_schema_version} holds the version a database is at. */
final class Schema {

  /** Statements of each version, in order; {@code BLOB} stands for the dialect's binary type. */
  private static final List<List<String>> VERSIONS = List.of(
    List.of(
      "CREATE TABLE fmq_queue_messages (queue VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, envelope BLOB NOT NULL,"
        + " delivery_count INTEGER NOT NULL, due_at BIGINT NOT NULL, PRIMARY KEY (queue, seq))",
      "CREATE TABLE fmq_topic_messages (topic VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, envelope BLOB NOT NULL,"
        + " PRIMARY KEY (topic, seq))",
      "CREATE TABLE fmq_sequences (kind VARCHAR(16) NOT NULL, name VARCHAR(200) NOT NULL, last_seq BIGINT NOT NULL,"
        + " PRIMARY KEY (kind, name))",
      "CREATE TABLE fmq_options (kind VARCHAR(16) NOT NULL, name VARCHAR(200) NOT NULL, json TEXT NOT NULL,"
        + " PRIMARY KEY (kind, name))"));

  private Schema() {
  }

  /** @return the version this code writes */
  static int current() {
    return VERSIONS.size();
  }

  /**
   * Brings the schema of {@code c} (auto-commit off, already holding the dialect's schema lock) up to
   * {@link #current()} and commits.
   *
   * @throws SQLException also when the database is newer than this code
   */
  static void migrate(Connection c, String blobType) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS fmq_schema_version (version INTEGER NOT NULL)");
      int version = 0;
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM fmq_schema_version")) {
        if (rs.next()) {
          version = rs.getInt(1);
        }
      }
      if (version > current()) {
        throw new SQLException("store schema version " + version + " is newer than this FerryMQ's " + current());
      }
      for (int v = version; v < current(); v++) {
        for (String ddl : VERSIONS.get(v)) {
          s.execute(ddl.replace("BLOB", blobType));
        }
      }
      if (version < current()) {
        s.execute("DELETE FROM fmq_schema_version");
        s.execute("INSERT INTO fmq_schema_version (version) VALUES (" + current() + ")");
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }
}
