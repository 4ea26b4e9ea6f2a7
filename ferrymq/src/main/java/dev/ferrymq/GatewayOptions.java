package dev.ferrymq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the HTTP + SSE gateway. JSON form (the {@code "gateway"} part of the node's config file):
 * {@code {"host":"127.0.0.1","port":8080,"bodyLimit":1048576,"heartbeatInterval":"15s","retry":"2s",
 * "sseBufferLimit":1048576,"maxHeaderSize":8192,"maxInitialLineLength":8192,"idleTimeout":"60s",
 * "maxConnections":10000,"maxTopicsPerStream":16,"maxMatchedTopicsPerStream":100,"requestHeaderTimeout":"10s",
 * "requestBodyTimeout":"30s","maxStreamsPerClient":32,"rateLimit":1000,"rateBurst":2000,
 * "corsOrigins":["https://app.example"],"tlsKeyFile":"key.pem","tlsCertFile":"cert.pem","insecure":false,
 * "accessLog":false,"metricsOpen":false,"http2":{...Http2Options JSON...},"auth":{...AuthOptions JSON...}}};
 * durations as strings ({@code 500ms}, {@code 15s}) or milliseconds.
 *
 * <p>Secure by default: without {@code auth} the gateway refuses to listen on anything but a loopback address unless
 * {@code insecure} is set.
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
  /** Most topics one {@code GET /events} stream follows, named or matched by patterns (each is in every event id). */
  public static final int DEFAULT_MAX_MATCHED_TOPICS_PER_STREAM = 100;

  /** A request's body must have arrived this long after its head (guards against requests that never finish). */
  public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);
  /** The request line and all headers of a request must arrive within this time (slowloris guard). */
  public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
  /** Most SSE streams open at once per token subject (or per IP address without a token). */
  public static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 32;
  /** Requests per second allowed per token subject (or per IP address without a token); beyond: 429. */
  public static final int DEFAULT_RATE_LIMIT = 20_000;
  /** Requests a client may make at once above its rate (the bucket size). */
  public static final int DEFAULT_RATE_BURST = 40_000;

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
  private int maxMatchedTopicsPerStream = DEFAULT_MAX_MATCHED_TOPICS_PER_STREAM;
  private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;
  private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;
  private Http2Options http2 = new Http2Options();
  private int maxStreamsPerClient = DEFAULT_MAX_STREAMS_PER_CLIENT;
  private int rateLimit = DEFAULT_RATE_LIMIT;
  private int rateBurst = DEFAULT_RATE_BURST;
  private List<String> corsOrigins = List.of();
  private String tlsKeyFile;
  private String tlsCertFile;
  private boolean insecure;
  private boolean accessLog;
  private boolean metricsOpen;
  private AuthOptions auth;

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
      setMaxMatchedTopicsPerStream(json.getInteger("maxMatchedTopicsPerStream", maxMatchedTopicsPerStream));
      setRequestHeaderTimeout(duration(json, "requestHeaderTimeout", requestHeaderTimeout));
      setRequestBodyTimeout(duration(json, "requestBodyTimeout", requestBodyTimeout));
      JsonObject h2 = json.getJsonObject("http2");
      setHttp2(h2 == null ? new Http2Options() : new Http2Options(h2));
      setMaxStreamsPerClient(json.getInteger("maxStreamsPerClient", maxStreamsPerClient));
      setRateLimit(json.getInteger("rateLimit", rateLimit));
      setRateBurst(json.getInteger("rateBurst", rateBurst));
      List<String> origins = new ArrayList<>();
      json.getJsonArray("corsOrigins", new JsonArray()).forEach(o -> origins.add((String) o));
      setCorsOrigins(origins);
      setTls(json.getString("tlsKeyFile"), json.getString("tlsCertFile"));
      setInsecure(json.getBoolean("insecure", false));
      setAccessLog(json.getBoolean("accessLog", false));
      setMetricsOpen(json.getBoolean("metricsOpen", false));
      JsonObject a = json.getJsonObject("auth");
      setAuth(a == null ? null : new AuthOptions(a));
    } catch (ClassCastException e) {
      throw new InvalidRequestException("malformed gateway options: " + e.getMessage());
    }
  }

  private static Duration duration(JsonObject json, String key, Duration def) {
    return json.containsKey(key) ? Durations.parse(json.getValue(key), key) : def;
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", host).put("port", port).put("bodyLimit", bodyLimit)
      .put("heartbeatInterval", Durations.format(heartbeatInterval)).put("retry", Durations.format(retry))
      .put("sseBufferLimit", sseBufferLimit).put("maxHeaderSize", maxHeaderSize)
      .put("maxInitialLineLength", maxInitialLineLength).put("idleTimeout", Durations.format(idleTimeout))
      .put("maxConnections", maxConnections).put("maxTopicsPerStream", maxTopicsPerStream)
      .put("maxMatchedTopicsPerStream", maxMatchedTopicsPerStream)
      .put("requestHeaderTimeout", Durations.format(requestHeaderTimeout))
      .put("requestBodyTimeout", Durations.format(requestBodyTimeout)).put("http2", http2.toJson())
      .put("maxStreamsPerClient", maxStreamsPerClient).put("rateLimit", rateLimit).put("rateBurst", rateBurst)
      .put("corsOrigins", new JsonArray(new ArrayList<>(corsOrigins))).put("insecure", insecure)
      .put("accessLog", accessLog).put("metricsOpen", metricsOpen);
    if (tlsKeyFile != null) {
      json.put("tlsKeyFile", tlsKeyFile).put("tlsCertFile", tlsCertFile);
    }
    if (auth != null) {
      json.put("auth", auth.toJson());
    }
    return json;
  }

  /**
   * @return {@code null} when these options may be used to listen, else why not: no auth on a non-loopback host
   *     without {@code insecure}
   */
  public String refusal() {
    if (auth != null || insecure || isLoopback(host)) {
      return null;
    }
    return "refusing to listen on " + host + " without authentication: configure gateway.auth (see docs/SECURITY.md),"
      + " listen on 127.0.0.1, or accept the risk explicitly with --insecure (gateway option \"insecure\": true)";
  }

  /** @return whether {@code host} is a loopback address ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:\\[\\]]+")) {
      return false; // a name would need DNS; only literal addresses count as loopback
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
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

  /**
   * @return the most topics one multi-topic stream follows, named or matched by its patterns; matching topics beyond
   *     it are left out (each followed topic is part of every event id)
   */
  public int getMaxMatchedTopicsPerStream() {
    return maxMatchedTopicsPerStream;
  }

  /** @param maxMatchedTopicsPerStream 1 to 1000 @return this */
  public GatewayOptions setMaxMatchedTopicsPerStream(int maxMatchedTopicsPerStream) {
    this.maxMatchedTopicsPerStream = range(maxMatchedTopicsPerStream, 1, 1000, "maxMatchedTopicsPerStream");
    return this;
  }

  /** @return the slowloris guard: time allowed for a request's line and headers to arrive */
  public Duration getRequestHeaderTimeout() {
    return requestHeaderTimeout;
  }

  /** @param requestHeaderTimeout 100 ms to 10 min @return this */
  public GatewayOptions setRequestHeaderTimeout(Duration requestHeaderTimeout) {
    this.requestHeaderTimeout = Durations.check(requestHeaderTimeout, Duration.ofMillis(100), Duration.ofMinutes(10),
      "requestHeaderTimeout");
    return this;
  }

  /**
   * @return how long after its head a request's body must have arrived; a request still incomplete then is cut off
   *     (its HTTP/2 stream reset, its HTTP/1.1 connection closed)
   */
  public Duration getRequestBodyTimeout() {
    return requestBodyTimeout;
  }

  /** @param requestBodyTimeout 100 ms to 1 h @return this */
  public GatewayOptions setRequestBodyTimeout(Duration requestBodyTimeout) {
    this.requestBodyTimeout = Durations.check(requestBodyTimeout, Duration.ofMillis(100), Duration.ofHours(1),
      "requestBodyTimeout");
    return this;
  }

  /** @return HTTP/2: h2 by ALPN with TLS, h2c if asked, and the per-connection limits */
  public Http2Options getHttp2() {
    return http2;
  }

  /** @param http2 the HTTP/2 settings @return this */
  public GatewayOptions setHttp2(Http2Options http2) {
    this.http2 = new Http2Options(Objects.requireNonNull(http2, "http2"));
    return this;
  }

  /** @return the most SSE streams one client (token subject, or IP address) may hold open */
  public int getMaxStreamsPerClient() {
    return maxStreamsPerClient;
  }

  /** @param maxStreamsPerClient 1 to 1,000,000 @return this */
  public GatewayOptions setMaxStreamsPerClient(int maxStreamsPerClient) {
    this.maxStreamsPerClient = range(maxStreamsPerClient, 1, 1_000_000, "maxStreamsPerClient");
    return this;
  }

  /** @return requests per second per client; 0 = unlimited */
  public int getRateLimit() {
    return rateLimit;
  }

  /** @param rateLimit 0 (off) to 10,000,000 requests per second per client @return this */
  public GatewayOptions setRateLimit(int rateLimit) {
    this.rateLimit = range(rateLimit, 0, 10_000_000, "rateLimit");
    return this;
  }

  /** @return how many requests a client may make at once above its rate */
  public int getRateBurst() {
    return rateBurst;
  }

  /** @param rateBurst 1 to 10,000,000 @return this */
  public GatewayOptions setRateBurst(int rateBurst) {
    this.rateBurst = range(rateBurst, 1, 10_000_000, "rateBurst");
    return this;
  }

  /** @return origins allowed by CORS; empty = no CORS headers (same-origin only) */
  public List<String> getCorsOrigins() {
    return corsOrigins;
  }

  /**
   * @param corsOrigins exact origins such as {@code https://app.example}; {@code *} is refused (credentials are
   *     allowed for the listed origins, and {@code *} with credentials would let any site use a browser's cookie)
   * @return this
   */
  public GatewayOptions setCorsOrigins(List<String> corsOrigins) {
    for (String o : Objects.requireNonNull(corsOrigins, "corsOrigins")) {
      if (o == null || !o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new InvalidRequestException("a CORS origin is scheme://host[:port] with no wildcard, was " + o);
      }
    }
    this.corsOrigins = List.copyOf(corsOrigins);
    return this;
  }

  /** @return the PEM private key file of HTTPS, or {@code null} for plain HTTP */
  public String getTlsKeyFile() {
    return tlsKeyFile;
  }

  /** @return the PEM certificate (chain) file of HTTPS, or {@code null} for plain HTTP */
  public String getTlsCertFile() {
    return tlsCertFile;
  }

  /**
   * @param keyFile PEM private key, or {@code null} with {@code certFile} {@code null} for plain HTTP
   * @param certFile PEM certificate chain
   * @return this
   */
  public GatewayOptions setTls(String keyFile, String certFile) {
    if ((keyFile == null) != (certFile == null)) {
      throw new InvalidRequestException("TLS needs both tlsKeyFile and tlsCertFile");
    }
    this.tlsKeyFile = keyFile;
    this.tlsCertFile = certFile;
    return this;
  }

  /** @return whether listening beyond loopback without auth was explicitly allowed */
  public boolean isInsecure() {
    return insecure;
  }

  /** @return whether every request is logged (logger {@code dev.ferrymq.access}) when its response ends */
  public boolean isAccessLog() {
    return accessLog;
  }

  /**
   * @param accessLog log one line per request when its response ends (an SSE stream when it closes): method, path,
   *     status, bytes, milliseconds, client; logger {@code dev.ferrymq.access}, level INFO
   * @return this
   */
  public GatewayOptions setAccessLog(boolean accessLog) {
    this.accessLog = accessLog;
    return this;
  }

  /** @param insecure allow a non-loopback host without auth (everyone may do everything) @return this */
  public GatewayOptions setInsecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  /**
   * @return whether {@code GET /metrics} is open to anyone even with {@link #getAuth() auth} (for a Prometheus that
   *     scrapes without a token); by default it then needs the {@code admin} grant
   */
  public boolean isMetricsOpen() {
    return metricsOpen;
  }

  /** @param metricsOpen open {@code GET /metrics} to requests without a token when auth is on @return this */
  public GatewayOptions setMetricsOpen(boolean metricsOpen) {
    this.metricsOpen = metricsOpen;
    return this;
  }

  /** @return the authentication settings, or {@code null}: no authentication, everything allowed */
  public AuthOptions getAuth() {
    return auth;
  }

  /** @param auth authentication settings, or {@code null} for none (loopback or insecure only) @return this */
  public GatewayOptions setAuth(AuthOptions auth) {
    this.auth = auth == null ? null : new AuthOptions(auth);
    return this;
  }
}
