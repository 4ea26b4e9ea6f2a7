package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * HTTP/2 on the gateway (the {@code "http2"} part of {@link GatewayOptions}). JSON form:
 * {@code {"enabled":true,"cleartext":false,"maxConcurrentStreams":100,"maxHeaderListSize":8192,
 * "maxResetsPerWindow":200,"resetWindow":"30s","initialWindowSize":262144,"connectionWindowSize":1048576}}.
 *
 * <p>With TLS configured, {@code enabled} offers {@code h2} by ALPN beside HTTP/1.1. {@code cleartext} also speaks
 * HTTP/2 without TLS ({@code h2c}: prior knowledge, or an {@code Upgrade: h2c} request); off by default. The limits
 * are per connection and announced in the server's SETTINGS frame: a client that opens more streams at once gets them
 * refused ({@code RST_STREAM REFUSED_STREAM}), a header list larger than the limit is refused, and a client that resets
 * more than {@code maxResetsPerWindow} streams within {@code resetWindow} (the "rapid reset" attack) is disconnected.
 * The flow-control windows bound what a client may send before the gateway has read it: per stream
 * ({@code initialWindowSize}) and per connection ({@code connectionWindowSize}); HTTP/2's default of 64 KiB for both
 * makes a request body larger than that, or several bodies at once on one connection, wait a round trip per window.
 */
public class Http2Options {

  /** h2 is offered by ALPN when TLS is configured. */
  public static final boolean DEFAULT_ENABLED = true;
  /** No h2c unless asked. */
  public static final boolean DEFAULT_CLEARTEXT = false;
  /** Streams one connection may have open at once. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
  /** Largest header list of a request, in bytes as HTTP/2 counts them (name + value + 32 per field). */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8192;
  /** Stream resets a client may cause per {@link #DEFAULT_RESET_WINDOW} before it is disconnected. */
  public static final int DEFAULT_MAX_RESETS_PER_WINDOW = 200;
  /** The window the resets are counted in. */
  public static final Duration DEFAULT_RESET_WINDOW = Duration.ofSeconds(30);
  /** Bytes a client may send on one stream before the gateway has read them: 256 KiB. */
  public static final int DEFAULT_INITIAL_WINDOW_SIZE = 256 * 1024;
  /** Bytes a client may send on one connection, all streams together, before the gateway has read them: 1 MiB. */
  public static final int DEFAULT_CONNECTION_WINDOW_SIZE = 1024 * 1024;

  private boolean enabled = DEFAULT_ENABLED;
  private boolean cleartext = DEFAULT_CLEARTEXT;
  private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
  private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
  private int maxResetsPerWindow = DEFAULT_MAX_RESETS_PER_WINDOW;
  private Duration resetWindow = DEFAULT_RESET_WINDOW;
  private int initialWindowSize = DEFAULT_INITIAL_WINDOW_SIZE;
  private int connectionWindowSize = DEFAULT_CONNECTION_WINDOW_SIZE;

  /** Defaults. */
  public Http2Options() {
  }

  /** @param other options to copy */
  public Http2Options(Http2Options other) {
    this(other.toJson());
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public Http2Options(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      setEnabled(json.getBoolean("enabled", enabled));
      setCleartext(json.getBoolean("cleartext", cleartext));
      setMaxConcurrentStreams(json.getInteger("maxConcurrentStreams", maxConcurrentStreams));
      setMaxHeaderListSize(json.getInteger("maxHeaderListSize", maxHeaderListSize));
      setMaxResetsPerWindow(json.getInteger("maxResetsPerWindow", maxResetsPerWindow));
      setInitialWindowSize(json.getInteger("initialWindowSize", initialWindowSize));
      setConnectionWindowSize(json.getInteger("connectionWindowSize", connectionWindowSize));
      if (json.containsKey("resetWindow")) {
        setResetWindow(Durations.parse(json.getValue("resetWindow"), "resetWindow"));
      }
    } catch (ClassCastException | NullPointerException e) {
      throw new InvalidRequestException("malformed http2 options: " + e.getMessage());
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("cleartext", cleartext)
      .put("maxConcurrentStreams", maxConcurrentStreams).put("maxHeaderListSize", maxHeaderListSize)
      .put("maxResetsPerWindow", maxResetsPerWindow).put("resetWindow", Durations.format(resetWindow))
      .put("initialWindowSize", initialWindowSize).put("connectionWindowSize", connectionWindowSize);
  }

  private static int range(int v, int min, int max, String what) {
    if (v < min || v > max) {
      throw new InvalidRequestException(what + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }

  /** @return whether h2 is offered by ALPN on a TLS gateway */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether h2 is offered by ALPN on a TLS gateway @return this */
  public Http2Options setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** @return whether HTTP/2 is spoken without TLS (h2c, prior knowledge and upgrade) */
  public boolean isCleartext() {
    return cleartext;
  }

  /** @param cleartext whether HTTP/2 is spoken without TLS @return this */
  public Http2Options setCleartext(boolean cleartext) {
    this.cleartext = cleartext;
    return this;
  }

  /** @return the most streams one connection may have open at once */
  public int getMaxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /** @param maxConcurrentStreams 1 to 10,000 @return this */
  public Http2Options setMaxConcurrentStreams(int maxConcurrentStreams) {
    this.maxConcurrentStreams = range(maxConcurrentStreams, 1, 10_000, "maxConcurrentStreams");
    return this;
  }

  /** @return the largest header list of a request */
  public int getMaxHeaderListSize() {
    return maxHeaderListSize;
  }

  /** @param maxHeaderListSize 1 KiB to 1 MiB @return this */
  public Http2Options setMaxHeaderListSize(int maxHeaderListSize) {
    this.maxHeaderListSize = range(maxHeaderListSize, 1024, 1 << 20, "maxHeaderListSize");
    return this;
  }

  /** @return the stream resets tolerated per {@link #getResetWindow()} */
  public int getMaxResetsPerWindow() {
    return maxResetsPerWindow;
  }

  /** @param maxResetsPerWindow 1 to 1,000,000 @return this */
  public Http2Options setMaxResetsPerWindow(int maxResetsPerWindow) {
    this.maxResetsPerWindow = range(maxResetsPerWindow, 1, 1_000_000, "maxResetsPerWindow");
    return this;
  }

  /** @return the window stream resets are counted in */
  public Duration getResetWindow() {
    return resetWindow;
  }

  /** @param resetWindow 1 s to 1 h @return this */
  public Http2Options setResetWindow(Duration resetWindow) {
    this.resetWindow = Durations.check(resetWindow, Duration.ofSeconds(1), Duration.ofHours(1), "resetWindow");
    return this;
  }

  /** @return bytes a client may send on one stream before the gateway has read them */
  public int getInitialWindowSize() {
    return initialWindowSize;
  }

  /** @param initialWindowSize 64 KiB - 1 (HTTP/2's default) to 16 MiB @return this */
  public Http2Options setInitialWindowSize(int initialWindowSize) {
    this.initialWindowSize = range(initialWindowSize, 65_535, 16 << 20, "initialWindowSize");
    return this;
  }

  /** @return bytes a client may send on one connection, all its streams together, before the gateway has read them */
  public int getConnectionWindowSize() {
    return connectionWindowSize;
  }

  /** @param connectionWindowSize 64 KiB - 1 to 64 MiB @return this */
  public Http2Options setConnectionWindowSize(int connectionWindowSize) {
    this.connectionWindowSize = range(connectionWindowSize, 65_535, 64 << 20, "connectionWindowSize");
    return this;
  }
}
