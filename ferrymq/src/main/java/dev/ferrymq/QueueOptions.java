package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one queue. JSON form: {@code {"visibilityTimeout":"30s","maxDeliveries":5,"maxLength":0,"maxBytes":0,
 * "pageWindow":0,"overflow":"reject-new","deadLetterQueue":"orders.dlq","durability":"SYNC","partitions":1}};
 * durations as strings ({@code 500ms}, {@code 30s}, {@code 5m}) or numbers of milliseconds.
 */
public class QueueOptions {

  /** A lease lasts 30 s unless the consumer asks otherwise. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
  /** After 5 deliveries without an ack a message is dead-lettered. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;
  /** 0: no limit on the number of messages held. */
  public static final int DEFAULT_MAX_LENGTH = 0;
  /** 0: no limit on the bytes of the messages held. */
  public static final long DEFAULT_MAX_BYTES = 0;
  /** 0: the broker's page window ({@link BrokerOptions#getPageWindow()}). */
  public static final int DEFAULT_PAGE_WINDOW = 0;
  /** A send beyond {@code maxLength} or {@code maxBytes} is refused. */
  public static final Overflow DEFAULT_OVERFLOW = Overflow.REJECT_NEW;
  /** Messages are confirmed after the store commit. */
  public static final Durability DEFAULT_DURABILITY = Durability.SYNC;
  /** Suffix of the default dead-letter queue's name. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";
  /** One partition: one owner holds the whole queue. */
  public static final int DEFAULT_PARTITIONS = 1;
  /** The most partitions a queue or topic may have. */
  public static final int MAX_PARTITIONS = 64;
  /** The longest visibility timeout accepted. */
  public static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

  private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
  private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
  private int maxLength = DEFAULT_MAX_LENGTH;
  private long maxBytes = DEFAULT_MAX_BYTES;
  private int pageWindow = DEFAULT_PAGE_WINDOW;
  private Overflow overflow = DEFAULT_OVERFLOW;
  private String deadLetterQueue;
  private Durability durability = DEFAULT_DURABILITY;
  private int partitions = DEFAULT_PARTITIONS;

  /** Defaults. */
  public QueueOptions() {
  }

  /** @param other options to copy */
  public QueueOptions(QueueOptions other) {
    this.visibilityTimeout = other.visibilityTimeout;
    this.maxDeliveries = other.maxDeliveries;
    this.maxLength = other.maxLength;
    this.maxBytes = other.maxBytes;
    this.pageWindow = other.pageWindow;
    this.overflow = other.overflow;
    this.deadLetterQueue = other.deadLetterQueue;
    this.durability = other.durability;
    this.partitions = other.partitions;
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public QueueOptions(JsonObject json) {
    this();
    merge(json);
  }

  /**
   * Overwrites the fields present in {@code json}.
   *
   * @return this
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public QueueOptions merge(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      if (json.containsKey("visibilityTimeout")) {
        setVisibilityTimeout(Durations.parse(json.getValue("visibilityTimeout"), "visibilityTimeout"));
      }
      if (json.containsKey("maxDeliveries")) {
        setMaxDeliveries(json.getInteger("maxDeliveries"));
      }
      if (json.containsKey("maxLength")) {
        setMaxLength(json.getInteger("maxLength"));
      }
      if (json.containsKey("maxBytes")) {
        setMaxBytes(json.getLong("maxBytes"));
      }
      if (json.containsKey("pageWindow")) {
        setPageWindow(json.getInteger("pageWindow"));
      }
      if (json.containsKey("overflow")) {
        setOverflow(Overflow.fromJson(json.getString("overflow")));
      }
      if (json.containsKey("deadLetterQueue")) {
        setDeadLetterQueue(json.getString("deadLetterQueue"));
      }
      if (json.containsKey("durability")) {
        setDurability(Durations.durability(json.getString("durability")));
      }
      if (json.containsKey("partitions")) {
        setPartitions(json.getInteger("partitions"));
      }
    } catch (ClassCastException | NullPointerException e) {
      throw new InvalidRequestException("malformed queue options: " + e.getMessage());
    }
    return this;
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("visibilityTimeout", Durations.format(visibilityTimeout))
      .put("maxDeliveries", maxDeliveries)
      .put("maxLength", maxLength)
      .put("maxBytes", maxBytes)
      .put("pageWindow", pageWindow)
      .put("overflow", overflow.json())
      .put("durability", durability.name())
      .put("partitions", partitions);
    if (deadLetterQueue != null) {
      json.put("deadLetterQueue", deadLetterQueue);
    }
    return json;
  }

  /** @return how long a delivered message stays leased before it comes back */
  public Duration getVisibilityTimeout() {
    return visibilityTimeout;
  }

  /** @param visibilityTimeout 1 ms to 12 h @return this */
  public QueueOptions setVisibilityTimeout(Duration visibilityTimeout) {
    this.visibilityTimeout = Durations.check(visibilityTimeout, Duration.ofMillis(1), MAX_VISIBILITY_TIMEOUT, "visibilityTimeout");
    return this;
  }

  /** @return deliveries after which an unacked message goes to the dead-letter queue */
  public int getMaxDeliveries() {
    return maxDeliveries;
  }

  /** @param maxDeliveries at least 1 @return this */
  public QueueOptions setMaxDeliveries(int maxDeliveries) {
    if (maxDeliveries < 1) {
      throw new InvalidRequestException("maxDeliveries must be at least 1, was " + maxDeliveries);
    }
    this.maxDeliveries = maxDeliveries;
    return this;
  }

  /**
   * @return the most messages the queue holds (ready, delayed and in flight); 0 for no limit. A send beyond it is
   *     refused or makes room, as {@link #getOverflow()} says
   */
  public int getMaxLength() {
    return maxLength;
  }

  /** @param maxLength 0 for no limit @return this */
  public QueueOptions setMaxLength(int maxLength) {
    if (maxLength < 0) {
      throw new InvalidRequestException("maxLength must be 0 (no limit) or positive, was " + maxLength);
    }
    this.maxLength = maxLength;
    return this;
  }

  /**
   * @return the most bytes of messages (their envelopes: payload, headers, id) the queue holds, ready, delayed and in
   *     flight; 0 for no limit
   */
  public long getMaxBytes() {
    return maxBytes;
  }

  /** @param maxBytes 0 for no limit @return this */
  public QueueOptions setMaxBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new InvalidRequestException("maxBytes must be 0 (no limit) or positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
    return this;
  }

  /**
   * @return most messages the queue keeps in memory (its head) before it pages the rest of its backlog out to the
   *     store; 0 for the broker's {@link BrokerOptions#getPageWindow()}. Only queues written to a store page
   */
  public int getPageWindow() {
    return pageWindow;
  }

  /** @param pageWindow 0 for the broker's default, else at least 1 @return this */
  public QueueOptions setPageWindow(int pageWindow) {
    if (pageWindow < 0) {
      throw new InvalidRequestException("pageWindow must be 0 (the broker's default) or positive, was " + pageWindow);
    }
    this.pageWindow = pageWindow;
    return this;
  }

  /** @return what a send beyond {@code maxLength} or {@code maxBytes} does */
  public Overflow getOverflow() {
    return overflow;
  }

  /** @param overflow what a send beyond {@code maxLength} or {@code maxBytes} does @return this */
  public QueueOptions setOverflow(Overflow overflow) {
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    return this;
  }

  /**
   * @return the dead-letter queue's name; {@code null} means {@code <queue>.dlq}, the empty string means none
   */
  public String getDeadLetterQueue() {
    return deadLetterQueue;
  }

  /** @param deadLetterQueue a queue name, {@code ""} for none, {@code null} for the default @return this */
  public QueueOptions setDeadLetterQueue(String deadLetterQueue) {
    if (deadLetterQueue != null && !deadLetterQueue.isEmpty()) {
      Names.check(deadLetterQueue);
    }
    this.deadLetterQueue = deadLetterQueue;
    return this;
  }

  /** @return how far messages are kept */
  public Durability getDurability() {
    return durability;
  }

  /** @param durability how far messages are kept @return this */
  public QueueOptions setDurability(Durability durability) {
    this.durability = Objects.requireNonNull(durability, "durability");
    return this;
  }

  /**
   * @return in how many partitions the queue's messages are spread, each with its own owner (so on its own event loop,
   *     and on its own member when the cluster has several); fixed when the queue is created
   */
  public int getPartitions() {
    return partitions;
  }

  /** @param partitions 1 to {@link #MAX_PARTITIONS} @return this */
  public QueueOptions setPartitions(int partitions) {
    this.partitions = checkPartitions(partitions);
    return this;
  }

  static int checkPartitions(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new InvalidRequestException("partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
    }
    return partitions;
  }

  /**
   * @param queue the queue these options belong to (for a partition's internal name, the default is the partitioned
   *     queue's own dead-letter queue: all partitions share one)
   * @return the dead-letter queue's name, or {@code null} when the queue has none
   */
  public String deadLetterQueueOf(String queue) {
    if (deadLetterQueue == null) {
      queue = Names.destinationOf(queue);
      return queue.endsWith(DEAD_LETTER_SUFFIX) || queue.length() + DEAD_LETTER_SUFFIX.length() > 200
        ? null : queue + DEAD_LETTER_SUFFIX;
    }
    return deadLetterQueue.isEmpty() || deadLetterQueue.equals(queue) ? null : deadLetterQueue;
  }
}
