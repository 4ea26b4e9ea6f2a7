package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a node keeps the messages of {@code sync} and {@code async} queues and topics. JSON form (a part of the node's
 * config): {@code {"type":"sqlite","dataDir":"data","jdbcUrl":null,"user":null,"password":null,"poolSize":4,
 * "maxBatch":1000,"maxQueuedWrites":10000}}.
 * <ul>
 *   <li>{@code sqlite} (default): an embedded file {@code <dataDir>/ferrymq.db}, for a single node, no setup;</li>
 *   <li>{@code postgres}: a shared PostgreSQL at {@code jdbcUrl}, for clusters (every owner reaches it, so ownership
 *   can move between nodes);</li>
 *   <li>{@code memory}: kept in this JVM only (tests), lost when it stops.</li>
 * </ul>
 */
public class StoreOptions {

  /** The kinds of store. */
  public enum Type {
    /** An embedded SQLite file in {@link #getDataDir()}. */
    SQLITE,
    /** A PostgreSQL server at {@link #getJdbcUrl()}. */
    POSTGRES,
    /** Maps in this JVM: nothing survives its end. */
    MEMORY,
    /** No store: every destination is {@link Durability#MEMORY} whatever it asks (a cluster without PostgreSQL). */
    NONE
  }

  /** The embedded SQLite file. */
  public static final Type DEFAULT_TYPE = Type.SQLITE;
  /** Directory of the embedded database, relative to the working directory. */
  public static final String DEFAULT_DATA_DIR = "data";
  /** Reader connections (loads on owner start); writes always go through one connection. */
  public static final int DEFAULT_POOL_SIZE = 4;
  /** Most rows committed in one transaction by the group-commit writer. */
  public static final int DEFAULT_MAX_BATCH = 1000;
  /** Most write operations waiting for the writer; more are refused with {@link UnavailableException}. */
  public static final int DEFAULT_MAX_QUEUED_WRITES = 10_000;

  private Type type = DEFAULT_TYPE;
  private String dataDir = DEFAULT_DATA_DIR;
  private String jdbcUrl;
  private String user;
  private String password;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int maxBatch = DEFAULT_MAX_BATCH;
  private int maxQueuedWrites = DEFAULT_MAX_QUEUED_WRITES;

  /** Defaults: SQLite in {@code data/}. */
  public StoreOptions() {
  }

  /** @param other options to copy */
  public StoreOptions(StoreOptions other) {
    this.type = other.type;
    this.dataDir = other.dataDir;
    this.jdbcUrl = other.jdbcUrl;
    this.user = other.user;
    this.password = other.password;
    this.poolSize = other.poolSize;
    this.maxBatch = other.maxBatch;
    this.maxQueuedWrites = other.maxQueuedWrites;
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public StoreOptions(JsonObject json) {
    this();
    Objects.requireNonNull(json, "json");
    try {
      if (json.containsKey("type")) {
        setType(parseType(json.getString("type")));
      }
      if (json.containsKey("dataDir")) {
        setDataDir(json.getString("dataDir"));
      }
      setJdbcUrl(json.getString("jdbcUrl"));
      setUser(json.getString("user"));
      setPassword(json.getString("password"));
      if (json.containsKey("poolSize")) {
        setPoolSize(json.getInteger("poolSize"));
      }
      if (json.containsKey("maxBatch")) {
        setMaxBatch(json.getInteger("maxBatch"));
      }
      if (json.containsKey("maxQueuedWrites")) {
        setMaxQueuedWrites(json.getInteger("maxQueuedWrites"));
      }
    } catch (ClassCastException | NullPointerException e) {
      throw new InvalidRequestException("malformed store options: " + e.getMessage());
    }
  }

  private static Type parseType(String s) {
    try {
      return Type.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("store type must be sqlite, postgres, memory or none, was '" + s + "'");
    }
  }

  /** @return the JSON form (the password included) */
  public JsonObject toJson() {
    return new JsonObject()
      .put("type", type.name().toLowerCase(Locale.ROOT))
      .put("dataDir", dataDir)
      .put("jdbcUrl", jdbcUrl)
      .put("user", user)
      .put("password", password)
      .put("poolSize", poolSize)
      .put("maxBatch", maxBatch)
      .put("maxQueuedWrites", maxQueuedWrites);
  }

  /** @return the kind of store */
  public Type getType() {
    return type;
  }

  /** @param type the kind of store @return this */
  public StoreOptions setType(Type type) {
    this.type = Objects.requireNonNull(type, "type");
    return this;
  }

  /**
   * @return where this store keeps messages, in words for a log line: the SQLite file's absolute path, the PostgreSQL
   *     URL (no credentials), or that nothing is kept
   */
  public String describe() {
    return switch (type) {
      case SQLITE -> "in SQLite at " + java.nio.file.Path.of(dataDir, "ferrymq.db").toAbsolutePath().normalize();
      case POSTGRES -> "in PostgreSQL at " + (jdbcUrl == null ? "(no jdbcUrl)" : jdbcUrl.replaceAll("password=[^&]*",
        "password=***"));
      case MEMORY -> "in this JVM's memory only (store type memory): nothing survives its end";
      case NONE -> "in Hazelcast's replicated memory only (store type none): a full restart loses them";
    };
  }

  /**
   * @return directory of the embedded database file {@code ferrymq.db}; relative paths are resolved against the
   *     working directory, so an application should set an absolute one (the broker logs the path at start)
   */
  public String getDataDir() {
    return dataDir;
  }

  /** @param dataDir directory of the embedded database, created if missing @return this */
  public StoreOptions setDataDir(String dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    return this;
  }

  /** @return the JDBC URL of the PostgreSQL store, e.g. {@code jdbc:postgresql://db:5432/ferrymq} */
  public String getJdbcUrl() {
    return jdbcUrl;
  }

  /** @param jdbcUrl the JDBC URL of the PostgreSQL store @return this */
  public StoreOptions setJdbcUrl(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
    return this;
  }

  /** @return the database user, or {@code null} to take it from the URL */
  public String getUser() {
    return user;
  }

  /** @param user the database user @return this */
  public StoreOptions setUser(String user) {
    this.user = user;
    return this;
  }

  /** @return the database password, or {@code null} */
  public String getPassword() {
    return password;
  }

  /** @param password the database password @return this */
  public StoreOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  /** @return the number of reader connections */
  public int getPoolSize() {
    return poolSize;
  }

  /** @param poolSize reader connections, 1 to 64 @return this */
  public StoreOptions setPoolSize(int poolSize) {
    this.poolSize = check(poolSize, 1, 64, "poolSize");
    return this;
  }

  /** @return the most rows committed in one transaction */
  public int getMaxBatch() {
    return maxBatch;
  }

  /** @param maxBatch rows per transaction, 1 to 100,000 @return this */
  public StoreOptions setMaxBatch(int maxBatch) {
    this.maxBatch = check(maxBatch, 1, 100_000, "maxBatch");
    return this;
  }

  /** @return the most write operations waiting for the writer */
  public int getMaxQueuedWrites() {
    return maxQueuedWrites;
  }

  /** @param maxQueuedWrites waiting write operations, 1 to 1,000,000 @return this */
  public StoreOptions setMaxQueuedWrites(int maxQueuedWrites) {
    this.maxQueuedWrites = check(maxQueuedWrites, 1, 1_000_000, "maxQueuedWrites");
    return this;
  }

  private static int check(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new InvalidRequestException(what + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }
}
