package dev.ferrymq;

import dev.ferrymq.broker.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP + SSE gateway. JSON form (the {@code "gateway"} part of the node's config file):
 * {@code {"host":"127.0.0.1","port":8080,"bodyLimit":1048576,"heartbeatInterval":"15s","retry":"2s",
 * "sseBufferLimit":1048576,"maxHeaderSize":8192,"maxInitialLineLength":8192,"idleTimeout":"60s",
 * "maxConnections":10000,"maxTopicsPerStream":16}}; durations as strings ({@code 500ms}, {@code 15s}) or
 * milliseconds.
 */
public class GatewayOptions {

  /** Listens on loopback only unless told otherwise. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The HTTP port; 0 picks a free one (see {@link GatewayVerticle#actualPort()}). */
  public static final int DEFAULT_PORT = 8080;
  /** Largest request body accepted: 1 MiB; larger ones get 413 before they are read. */
  public static final int DEFAULT_BODY_LIMIT = 1024 * 1024;
  /** An SSE stream gets a comment at least this often. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
  /** The {@code retry:} hint sent to SSE clients. */
  public static final Duration DEFAULT_RETRY = Duration.ofSeconds(2);
  /** Bytes an SSE stream may queue beyond the socket's write queue before the client is cut off as too slow. */
  public static final int DEFAULT_SSE_BUFFER_LIMIT = 1024 * 1024;
  /** Largest total size of request headers. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
  /** Longest request line (method, path, query). */
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8192;
  /** A connection with no traffic either way for this long is closed; keep it above the heartbeat interval. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Connections beyond this many are closed at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Most topics one {@code GET /events} stream may name. */
  public static final int DEFAULT_MAX_TOPICS_PER_STREAM = 16;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int bodyLimit = DEFAULT_BODY_LIMIT;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private Duration retry = DEFAULT_RETRY;
  private int sseBufferLimit = DEFAULT_SSE_BUFFER_LIMIT;
  private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
  private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxTopicsPerStream = DEFAULT_MAX_TOPICS_PER_STREAM;

  /** Defaults. */
  public GatewayOptions() {
  }

  /** @param other options to copy */
  public GatewayOptions(GatewayOptions other) {
    this(other.toJson());
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public GatewayOptions(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      setHost(json.getString("host", host));
      setPort(json.getInteger("port", port));
      setBodyLimit(json.getInteger("bodyLimit", bodyLimit));
      setHeartbeatInterval(duration(json, "heartbeatInterval", heartbeatInterval));
      setRetry(duration(json, "retry", retry));
      setSseBufferLimit(json.getInteger("sseBufferLimit", sseBufferLimit));
      setMaxHeaderSize(json.getInteger("maxHeaderSize", maxHeaderSize));
      setMaxInitialLineLength(json.getInteger("maxInitialLineLength", maxInitialLineLength));
      setIdleTimeout(duration(json, "idleTimeout", idleTimeout));
      setMaxConnections(json.getInteger("maxConnections", maxConnections));
      setMaxTopicsPerStream(json.getInteger("maxTopicsPerStream", maxTopicsPerStream));
    } catch (ClassCastException e) {
      throw new InvalidRequestException("malformed gateway options: " + e.getMessage());
    }
  }

  private static Duration duration(JsonObject json, String key, Duration def) {
    return json.containsKey(key) ? Durations.parse(json.getValue(key), key) : def;
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("bodyLimit", bodyLimit)
      .put("heartbeatInterval", Durations.format(heartbeatInterval)).put("retry", Durations.format(retry))
      .put("sseBufferLimit", sseBufferLimit).put("maxHeaderSize", maxHeaderSize)
      .put("maxInitialLineLength", maxInitialLineLength).put("idleTimeout", Durations.format(idleTimeout))
      .put("maxConnections", maxConnections).put("maxTopicsPerStream", maxTopicsPerStream);
  }

  private static int range(int v, int min, int max, String what) {
    if (v < min || v > max) {
      throw new InvalidRequestException(what + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }

  /** @return the address the HTTP server binds */
  public String getHost() {
    return host;
  }

  /** @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} @return this */
  public GatewayOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /** @return the HTTP port, 0 for any free one */
  public int getPort() {
    return port;
  }

  /** @param port 0 to 65535 @return this */
  public GatewayOptions setPort(int port) {
    this.port = range(port, 0, 65535, "port");
    return this;
  }

  /** @return the largest request body in bytes */
  public int getBodyLimit() {
    return bodyLimit;
  }

  /** @param bodyLimit 1 byte to 1 GiB @return this */
  public GatewayOptions setBodyLimit(int bodyLimit) {
    this.bodyLimit = range(bodyLimit, 1, 1 << 30, "bodyLimit");
    return this;
  }

  /** @return how often an idle SSE stream gets a heartbeat comment */
  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  /** @param heartbeatInterval 10 ms to 5 min @return this */
  public GatewayOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = Durations.check(heartbeatInterval, Duration.ofMillis(10), Duration.ofMinutes(5),
      "heartbeatInterval");
    return this;
  }

  /** @return the reconnection delay suggested to SSE clients */
  public Duration getRetry() {
    return retry;
  }

  /** @param retry 1 ms to 10 min @return this */
  public GatewayOptions setRetry(Duration retry) {
    this.retry = Durations.check(retry, Duration.ofMillis(1), Duration.ofMinutes(10), "retry");
    return this;
  }

  /** @return bytes an SSE stream may queue beyond the socket's write queue before it is closed */
  public int getSseBufferLimit() {
    return sseBufferLimit;
  }

  /** @param sseBufferLimit 1 KiB to 256 MiB @return this */
  public GatewayOptions setSseBufferLimit(int sseBufferLimit) {
    this.sseBufferLimit = range(sseBufferLimit, 1024, 256 << 20, "sseBufferLimit");
    return this;
  }

  /** @return the largest total size of request headers */
  public int getMaxHeaderSize() {
    return maxHeaderSize;
  }

  /** @param maxHeaderSize 1 KiB to 1 MiB @return this */
  public GatewayOptions setMaxHeaderSize(int maxHeaderSize) {
    this.maxHeaderSize = range(maxHeaderSize, 1024, 1 << 20, "maxHeaderSize");
    return this;
  }

  /** @return the longest request line */
  public int getMaxInitialLineLength() {
    return maxInitialLineLength;
  }

  /** @param maxInitialLineLength 256 bytes to 1 MiB @return this */
  public GatewayOptions setMaxInitialLineLength(int maxInitialLineLength) {
    this.maxInitialLineLength = range(maxInitialLineLength, 256, 1 << 20, "maxInitialLineLength");
    return this;
  }

  /** @return how long a silent connection is kept */
  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** @param idleTimeout 1 s to 1 h @return this */
  public GatewayOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = Durations.check(idleTimeout, Duration.ofSeconds(1), Duration.ofHours(1), "idleTimeout");
    return this;
  }

  /** @return the most connections served at once */
  public int getMaxConnections() {
    return maxConnections;
  }

  /** @param maxConnections 1 to 1,000,000 @return this */
  public GatewayOptions setMaxConnections(int maxConnections) {
    this.maxConnections = range(maxConnections, 1, 1_000_000, "maxConnections");
    return this;
  }

  /** @return the most topics one multi-topic stream may name */
  public int getMaxTopicsPerStream() {
    return maxTopicsPerStream;
  }

  /** @param maxTopicsPerStream 1 to 1000 @return this */
  public GatewayOptions setMaxTopicsPerStream(int maxTopicsPerStream) {
    this.maxTopicsPerStream = range(maxTopicsPerStream, 1, 1000, "maxTopicsPerStream");
    return this;
  }
}
