package dev.ferrymq.store;

import com.zaxxer.hikari.HikariConfig;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The shared store of a cluster: a PostgreSQL at {@link StoreOptions#getJdbcUrl()}. Writes go through one dedicated
 * connection (the group-commit writer serializes them anyway, so a pool would add nothing but contention); loads use
 * a small HikariCP pool. Settings in the URL win over the defaults set here.
 */
final class PostgresStore extends JdbcStore {

  /** Arbitrary key of the advisory lock that serializes schema migrations across nodes. */
  private static final long SCHEMA_LOCK = 0x46657272794d51L;

  private final String url;
  private final Properties properties = new Properties();

  PostgresStore(Vertx vertx, StoreOptions options) {
    super(vertx, options, "postgres");
    this.url = options.getJdbcUrl();
    if (options.getUser() != null) {
      properties.setProperty("user", options.getUser());
    }
    if (options.getPassword() != null) {
      properties.setProperty("password", options.getPassword());
    }
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "10");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("ApplicationName", "ferrymq");
  }

  @Override
  protected Connection openConnection() throws SQLException {
    Connection c = new org.postgresql.Driver().connect(url, properties);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + url, "08001");
    }
    return c;
  }

  @Override
  protected HikariConfig readerConfig() {
    HikariConfig config = new HikariConfig();
    config.setDriverClassName(org.postgresql.Driver.class.getName());
    config.setJdbcUrl(url);
    config.setDataSourceProperties(properties);
    return config;
  }

  @Override
  protected String blobType() {
    return "BYTEA";
  }

  @Override
  protected void lockSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
    }
  }

  /** Every node reaches the same database: an owner change needs no snapshot, a full restart no recovery. */
  @Override
  public boolean shared() {
    return true;
  }
}
