package dev.ferrymq;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Per-message settings of {@link Queue#send(io.vertx.core.buffer.Buffer, SendOptions)}. */
public class SendOptions {

  /** The longest delay accepted. */
  public static final Duration MAX_DELAY = Duration.ofDays(7);
  /** The longest time to live accepted. */
  public static final Duration MAX_TTL = Duration.ofDays(30);
  /** Header that carries a message's expiry (epoch ms) with it, as RabbitMQ's {@code expiration} does. */
  public static final String EXPIRES_AT_HEADER = "x-expires-at";

  /**
   * Header that carries a message's partition key: messages with the same key go to the same partition of a
   * partitioned queue or topic, in order; without one they spread round-robin.
   */
  public static final String PARTITION_KEY_HEADER = "ferrymq-key";

  private String contentType;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String idempotencyKey;
  private Duration delay = Duration.ZERO;
  private Duration ttl = Duration.ZERO;

  /** @return the payload's media type, or {@code null} */
  public String getContentType() {
    return contentType;
  }

  /** @param contentType the payload's media type @return this */
  public SendOptions setContentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  /** @return application headers carried with the message */
  public Map<String, String> getHeaders() {
    return headers;
  }

  /** @param name header name @param value header value @return this */
  public SendOptions putHeader(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** @param headers headers to add @return this */
  public SendOptions putHeaders(Map<String, String> headers) {
    headers.forEach(this::putHeader);
    return this;
  }

  /** @return the partition key (header {@link #PARTITION_KEY_HEADER}), or {@code null} */
  public String getPartitionKey() {
    return headers.get(PARTITION_KEY_HEADER);
  }

  /** @param key the partition key, or {@code null} for none (round-robin) @return this */
  public SendOptions setPartitionKey(String key) {
    if (key == null) {
      headers.remove(PARTITION_KEY_HEADER);
      return this;
    }
    return putHeader(PARTITION_KEY_HEADER, key);
  }

  /** @return the key that makes a resend within the idempotency window a no-op, or {@code null} */
  public String getIdempotencyKey() {
    return idempotencyKey;
  }

  /** @param idempotencyKey up to 200 characters @return this */
  public SendOptions setIdempotencyKey(String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 200)) {
      throw new InvalidRequestException("idempotency key must have 1 to 200 characters");
    }
    this.idempotencyKey = idempotencyKey;
    return this;
  }

  /** @return how long the message waits before its first delivery */
  public Duration getDelay() {
    return delay;
  }

  /** @param delay zero to {@link #MAX_DELAY} @return this */
  public SendOptions setDelay(Duration delay) {
    this.delay = Durations.check(delay, Duration.ZERO, MAX_DELAY, "delay");
    return this;
  }

  /**
   * @return how long after the send the message may still be delivered; zero for ever. An expired message goes to
   *     the dead-letter queue (reason {@code expired}) instead of a consumer.
   */
  public Duration getTtl() {
    return ttl;
  }

  /** @param ttl zero (no expiry) or 1 ms to {@link #MAX_TTL} @return this */
  public SendOptions setTtl(Duration ttl) {
    this.ttl = ttl != null && ttl.isZero() ? ttl : Durations.check(ttl, Duration.ofMillis(1), MAX_TTL, "ttl");
    return this;
  }
}
