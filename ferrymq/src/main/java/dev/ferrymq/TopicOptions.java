package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one topic. JSON form: {@code {"capacity":10000,"ttl":"0s","durability":"SYNC","partitions":1}}. Capacity,
 * TTL and partitions are fixed when the topic is created; capacity and TTL apply to each partition.
 */
public class TopicOptions {

  /** History keeps the last 10,000 messages. */
  public static final int DEFAULT_CAPACITY = 10_000;
  /** The largest history a topic may keep. */
  public static final int MAX_CAPACITY = 10_000_000;
  /** Zero: messages leave history only by capacity. */
  public static final Duration DEFAULT_TTL = Duration.ZERO;
  /** Messages are confirmed after the store commit. */
  public static final Durability DEFAULT_DURABILITY = Durability.SYNC;

  private int capacity = DEFAULT_CAPACITY;
  private Duration ttl = DEFAULT_TTL;
  private Durability durability = DEFAULT_DURABILITY;
  private int partitions = QueueOptions.DEFAULT_PARTITIONS;

  /** Defaults. */
  public TopicOptions() {
  }

  /** @param other options to copy */
  public TopicOptions(TopicOptions other) {
    this.capacity = other.capacity;
    this.ttl = other.ttl;
    this.durability = other.durability;
    this.partitions = other.partitions;
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public TopicOptions(JsonObject json) {
    this();
    merge(json);
  }

  /**
   * Overwrites the fields present in {@code json}.
   *
   * @return this
   * @throws InvalidRequestException on a malformed or out-of-range field
   */
  public TopicOptions merge(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      if (json.containsKey("capacity")) {
        setCapacity(json.getInteger("capacity"));
      }
      if (json.containsKey("ttl")) {
        setTtl(Durations.parse(json.getValue("ttl"), "ttl"));
      }
      if (json.containsKey("durability")) {
        setDurability(Durations.durability(json.getString("durability")));
      }
      if (json.containsKey("partitions")) {
        setPartitions(json.getInteger("partitions"));
      }
    } catch (ClassCastException | NullPointerException e) {
      throw new InvalidRequestException("malformed topic options: " + e.getMessage());
    }
    return this;
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject()
      .put("capacity", capacity)
      .put("ttl", Durations.format(ttl))
      .put("durability", durability.name())
      .put("partitions", partitions);
  }

  /** @return how many messages the history keeps */
  public int getCapacity() {
    return capacity;
  }

  /** @param capacity 1 to {@link #MAX_CAPACITY} @return this */
  public TopicOptions setCapacity(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new InvalidRequestException("capacity must be between 1 and " + MAX_CAPACITY + ", was " + capacity);
    }
    this.capacity = capacity;
    return this;
  }

  /** @return how long a message stays in history; zero for no limit */
  public Duration getTtl() {
    return ttl;
  }

  /** @param ttl zero (no limit) or at least one second @return this */
  public TopicOptions setTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (!ttl.isZero()) {
      Durations.check(ttl, Duration.ofSeconds(1), Duration.ofDays(3650), "ttl");
    }
    this.ttl = ttl;
    return this;
  }

  /** @return how far messages are kept */
  public Durability getDurability() {
    return durability;
  }

  /** @param durability how far messages are kept @return this */
  public TopicOptions setDurability(Durability durability) {
    this.durability = Objects.requireNonNull(durability, "durability");
    return this;
  }

  /**
   * @return in how many partitions the topic's messages are spread, each with its own owner and history, ordered
   *     within a partition; fixed when the topic is created
   */
  public int getPartitions() {
    return partitions;
  }

  /** @param partitions 1 to {@link QueueOptions#MAX_PARTITIONS} @return this */
  public TopicOptions setPartitions(int partitions) {
    this.partitions = QueueOptions.checkPartitions(partitions);
    return this;
  }
}
