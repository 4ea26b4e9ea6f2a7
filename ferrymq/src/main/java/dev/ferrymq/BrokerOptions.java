package dev.ferrymq;

import dev.ferrymq.spi.MessageStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a broker node. JSON form (also the node's config file):
 * {@code {"clusterName":"ferrymq","hazelcastConfig":null,"tickInterval":"100ms","idempotencyWindow":"5m",
 * "defaultRequestTimeout":"30s","consumerTimeout":"30s","memoryHighWatermark":0.4,
 * "metricsMaxDestinations":1000,"store":{"type":"sqlite","dataDir":"data"}}}.
 */
public class BrokerOptions {

  /** Name of the Hazelcast cluster an embedded member joins. */
  public static final String DEFAULT_CLUSTER_NAME = "ferrymq";
  /** How often owners look for expired leases and due delayed messages. */
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(100);
  /** How long an idempotency key is remembered. */
  public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);
  /** Timeout of a request when the caller gives none. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A push consumer that sends no heartbeat for this long is gone: its leases return to the queue. Generous, so that a
   * busy or paused (GC) consumer keeps its leases; consumers on a node that leaves the cluster are released at once.
   */
  public static final Duration DEFAULT_CONSUMER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Share of the maximum heap that the messages held by a node's queues may take before the node refuses queue sends
   * ({@link MemoryAlarmException}) until consumers drain them. Counted as the heap they take on their owner's node:
   * about twice their bytes (the owner's copy and Hazelcast's) plus some 350 bytes each; in a cluster a member also
   * keeps backups of others' queues, which are not counted: see docs/MEMORY.md.
   */
  public static final double DEFAULT_MEMORY_HIGH_WATERMARK = 0.4;

  /** How many destinations a node reports one by one in its metrics at most. */
  public static final int DEFAULT_METRICS_MAX_DESTINATIONS = 1000;

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private String hazelcastConfig;
  private Duration tickInterval = DEFAULT_TICK_INTERVAL;
  private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;
  private Duration defaultRequestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private Duration consumerTimeout = DEFAULT_CONSUMER_TIMEOUT;
  private double memoryHighWatermark = DEFAULT_MEMORY_HIGH_WATERMARK;
  private StoreOptions store = new StoreOptions();
  private Clock clock = Clock.systemUTC();
  private MessageStore messageStore;
  private MeterRegistry meterRegistry;
  private int metricsMaxDestinations = DEFAULT_METRICS_MAX_DESTINATIONS;

  /** Defaults. */
  public BrokerOptions() {
  }

  /** @param other options to copy */
  public BrokerOptions(BrokerOptions other) {
    this.clusterName = other.clusterName;
    this.hazelcastConfig = other.hazelcastConfig;
    this.tickInterval = other.tickInterval;
    this.idempotencyWindow = other.idempotencyWindow;
    this.defaultRequestTimeout = other.defaultRequestTimeout;
    this.consumerTimeout = other.consumerTimeout;
    this.memoryHighWatermark = other.memoryHighWatermark;
    this.store = new StoreOptions(other.store);
    this.clock = other.clock;
    this.messageStore = other.messageStore;
    this.meterRegistry = other.meterRegistry;
    this.metricsMaxDestinations = other.metricsMaxDestinations;
  }

  /** @param json the JSON form; absent fields keep their defaults */
  public BrokerOptions(JsonObject json) {
    this();
    if (json.containsKey("clusterName")) {
      setClusterName(json.getString("clusterName"));
    }
    setHazelcastConfig(json.getString("hazelcastConfig"));
    if (json.containsKey("tickInterval")) {
      setTickInterval(Durations.parse(json.getValue("tickInterval"), "tickInterval"));
    }
    if (json.containsKey("idempotencyWindow")) {
      setIdempotencyWindow(Durations.parse(json.getValue("idempotencyWindow"), "idempotencyWindow"));
    }
    if (json.containsKey("defaultRequestTimeout")) {
      setDefaultRequestTimeout(Durations.parse(json.getValue("defaultRequestTimeout"), "defaultRequestTimeout"));
    }
    if (json.containsKey("consumerTimeout")) {
      setConsumerTimeout(Durations.parse(json.getValue("consumerTimeout"), "consumerTimeout"));
    }
    if (json.containsKey("memoryHighWatermark")) {
      if (!(json.getValue("memoryHighWatermark") instanceof Number n)) {
        throw new InvalidRequestException("memoryHighWatermark must be a number, a share of the heap such as 0.4");
      }
      setMemoryHighWatermark(n.doubleValue());
    }
    if (json.containsKey("metricsMaxDestinations")) {
      if (!(json.getValue("metricsMaxDestinations") instanceof Number n) || n.doubleValue() != n.intValue()) {
        throw new InvalidRequestException("metricsMaxDestinations must be a whole number of destinations, such as"
          + " 1000");
      }
      setMetricsMaxDestinations(n.intValue());
    }
    if (json.containsKey("store")) {
      setStore(new StoreOptions(json.getJsonObject("store")));
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject()
      .put("clusterName", clusterName)
      .put("hazelcastConfig", hazelcastConfig)
      .put("tickInterval", Durations.format(tickInterval))
      .put("idempotencyWindow", Durations.format(idempotencyWindow))
      .put("defaultRequestTimeout", Durations.format(defaultRequestTimeout))
      .put("consumerTimeout", Durations.format(consumerTimeout))
      .put("memoryHighWatermark", memoryHighWatermark)
      .put("metricsMaxDestinations", metricsMaxDestinations)
      .put("store", store.toJson());
  }

  /** @return the Hazelcast cluster name of an embedded member */
  public String getClusterName() {
    return clusterName;
  }

  /** @param clusterName the Hazelcast cluster name of an embedded member @return this */
  public BrokerOptions setClusterName(String clusterName) {
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    return this;
  }

  /**
   * @return path of a Hazelcast XML or YAML config for an embedded member, or {@code null} for a single member on
   * 127.0.0.1. Ignored when the broker runs on a Vert.x clustered with vertx-hazelcast.
   */
  public String getHazelcastConfig() {
    return hazelcastConfig;
  }

  /** @param hazelcastConfig path of a Hazelcast config file, or {@code null} @return this */
  public BrokerOptions setHazelcastConfig(String hazelcastConfig) {
    this.hazelcastConfig = hazelcastConfig;
    return this;
  }

  /** @return how often owners look for expired leases and due delayed messages */
  public Duration getTickInterval() {
    return tickInterval;
  }

  /** @param tickInterval 1 ms to 10 s @return this */
  public BrokerOptions setTickInterval(Duration tickInterval) {
    this.tickInterval = Durations.check(tickInterval, Duration.ofMillis(1), Duration.ofSeconds(10), "tickInterval");
    return this;
  }

  /** @return how long an idempotency key is remembered */
  public Duration getIdempotencyWindow() {
    return idempotencyWindow;
  }

  /** @param idempotencyWindow up to a day @return this */
  public BrokerOptions setIdempotencyWindow(Duration idempotencyWindow) {
    this.idempotencyWindow = Durations.check(idempotencyWindow, Duration.ZERO, Duration.ofDays(1), "idempotencyWindow");
    return this;
  }

  /** @return timeout of a request when the caller gives none */
  public Duration getDefaultRequestTimeout() {
    return defaultRequestTimeout;
  }

  /** @param defaultRequestTimeout 1 ms to 10 min @return this */
  public BrokerOptions setDefaultRequestTimeout(Duration defaultRequestTimeout) {
    this.defaultRequestTimeout = Durations.check(defaultRequestTimeout, Duration.ofMillis(1), Duration.ofMinutes(10),
      "defaultRequestTimeout");
    return this;
  }

  /**
   * @return how long a push consumer may stay silent before its leases are released (it beats every second, or five
   *     times per timeout if that is shorter)
   */
  public Duration getConsumerTimeout() {
    return consumerTimeout;
  }

  /** @param consumerTimeout 500 ms to 10 min @return this */
  public BrokerOptions setConsumerTimeout(Duration consumerTimeout) {
    this.consumerTimeout = Durations.check(consumerTimeout, Duration.ofMillis(500), Duration.ofMinutes(10),
      "consumerTimeout");
    return this;
  }

  /**
   * @return the share of the maximum heap that messages held by this node's queues may take before queue sends are
   *     refused with {@link MemoryAlarmException}; sends are accepted again below 90% of it
   */
  public double getMemoryHighWatermark() {
    return memoryHighWatermark;
  }

  /**
   * @param memoryHighWatermark a share of the maximum heap, above 0 and at most 1 (0.4: 40%)
   * @return this
   */
  public BrokerOptions setMemoryHighWatermark(double memoryHighWatermark) {
    if (!(memoryHighWatermark > 0 && memoryHighWatermark <= 1)) {
      throw new InvalidRequestException("memoryHighWatermark must be a share of the heap above 0 and at most 1, was "
        + memoryHighWatermark);
    }
    this.memoryHighWatermark = memoryHighWatermark;
    return this;
  }

  /** @return where confirmed messages are stored: an SQLite file in {@code data/} unless configured */
  public StoreOptions getStore() {
    return store;
  }

  /** @param store where confirmed messages are stored @return this */
  public BrokerOptions setStore(StoreOptions store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /** @return the store given with {@link #setMessageStore}, or {@code null} when {@link #getStore()} decides */
  public MessageStore getMessageStore() {
    return messageStore;
  }

  /**
   * Plugs in a store of the application's own instead of the one {@link #getStore()} describes (which is then
   * ignored). The broker uses it but does not close it: close it after the broker. Not part of the JSON form.
   *
   * @param messageStore an open store, or {@code null} for the one {@link #getStore()} describes
   * @return this
   */
  public BrokerOptions setMessageStore(MessageStore messageStore) {
    this.messageStore = messageStore;
    return this;
  }

  /**
   * @return the registry the broker's metrics go to, or {@code null}: then the registry of Vert.x's Micrometer metrics
   *     when the broker's Vert.x has them on (vertx-micrometer-metrics, default registry name), else no metrics
   */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  /**
   * Gives the broker a Micrometer registry for its metrics (queues, topics, the node, the store; see
   * docs/OPERATIONS.md). The gateway's {@code GET /metrics} serves it when it is a Prometheus registry. Not part of the
   * JSON form.
   *
   * @param meterRegistry a registry, or {@code null} for Vert.x's when it has Micrometer metrics on, else none
   * @return this
   */
  public BrokerOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  /** @return how many destinations this node reports one by one in its metrics at most */
  public int getMetricsMaxDestinations() {
    return metricsMaxDestinations;
  }

  /**
   * @param metricsMaxDestinations 0 to 1,000,000 destinations (queues, topics, and topics' local subscribers) whose
   *     series this node reports; those beyond are counted in {@code ferrymq_metrics_unreported_destinations} only,
   *     and a line is logged when the cap is first reached
   * @return this
   */
  public BrokerOptions setMetricsMaxDestinations(int metricsMaxDestinations) {
    if (metricsMaxDestinations < 0 || metricsMaxDestinations > 1_000_000) {
      throw new InvalidRequestException("metricsMaxDestinations must be 0 to 1000000, was " + metricsMaxDestinations);
    }
    this.metricsMaxDestinations = metricsMaxDestinations;
    return this;
  }

  /** @return the clock that decides lease expiry and delays */
  public Clock getClock() {
    return clock;
  }

  /** @param clock the clock that decides lease expiry and delays (tests pass a controllable one) @return this */
  public BrokerOptions setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }
}
