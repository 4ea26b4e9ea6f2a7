package dev.ferrymq;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a queue.
 *
 * @param queue the queue's name
 * @param ready messages waiting for a consumer
 * @param delayed messages that become ready later
 * @param inFlight messages leased and not yet settled
 * @param consumers registered push consumers
 * @param deadLetters messages in the queue's dead-letter queue (ready, delayed or in flight)
 * @param deadLetterQueue the dead-letter queue's name, or {@code null}
 * @param bytes bytes of the messages held (their envelopes), what {@code maxBytes} limits
 * @param sent messages the queue took in (sends and moves from another queue) since its current owner started; it
 *     starts again from 0 when the owner changes, so a rate is the difference of two snapshots while it grows
 */
public record QueueStats(String queue, long ready, long delayed, long inFlight, int consumers, long deadLetters,
                         String deadLetterQueue, long bytes, long sent) {

  /** A snapshot without the count of messages taken in (0). */
  public QueueStats(String queue, long ready, long delayed, long inFlight, int consumers, long deadLetters,
                    String deadLetterQueue, long bytes) {
    this(queue, ready, delayed, inFlight, consumers, deadLetters, deadLetterQueue, bytes, 0);
  }

  /** A snapshot without the bytes held (0), as before they were reported. */
  public QueueStats(String queue, long ready, long delayed, long inFlight, int consumers, long deadLetters,
                    String deadLetterQueue) {
    this(queue, ready, delayed, inFlight, consumers, deadLetters, deadLetterQueue, 0);
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("queue", queue).put("ready", ready).put("delayed", delayed).put("inFlight", inFlight)
      .put("consumers", consumers).put("deadLetters", deadLetters).put("deadLetterQueue", deadLetterQueue).put("bytes", bytes)
      .put("sent", sent);
  }

  /** @return messages held in all: ready, delayed and in flight */
  public long depth() {
    return ready + delayed + inFlight;
  }
}
