package dev.ferrymq;

import java.util.Locale;

/**
 * What a queue does with a send beyond its {@code maxLength} or {@code maxBytes}. JSON form: {@code "reject-new"} or
 * {@code "dead-letter-oldest"}.
 */
public enum Overflow {

  /** The send is refused with {@link QueueFullException} (HTTP 429); the queue keeps what it has. */
  REJECT_NEW,

  /**
   * The oldest ready messages are moved to the queue's dead-letter queue (header {@code x-death-reason: overflow})
   * to make room, as RabbitMQ's {@code drop-head} with a dead-letter exchange or NATS's {@code DiscardOld} do. A queue
   * without a dead-letter queue, or without enough ready messages to move, refuses the send as {@link #REJECT_NEW}.
   */
  DEAD_LETTER_OLDEST;

  /** @return the JSON form, e.g. {@code "dead-letter-oldest"} */
  public String json() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @param json {@code "reject-new"} or {@code "dead-letter-oldest"}
   * @return the policy it names
   * @throws InvalidRequestException for anything else
   */
  public static Overflow fromJson(String json) {
    for (Overflow o : values()) {
      if (o.json().equals(json)) {
        return o;
      }
    }
    throw new InvalidRequestException("overflow must be \"reject-new\" or \"dead-letter-oldest\", was \""
      + (json == null ? "null" : json.length() > 40 ? json.substring(0, 40) + "…" : json) + "\"");
  }
}
