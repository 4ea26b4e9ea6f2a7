package dev.ferrymq.metrics;

/**
 * What a queue owner publishes for its meters, made on its own context (each tick): the scrape reads the last one and
 * never touches the owner's state.
 *
 * @param ready messages that can be delivered now
 * @param delayed messages waiting for their due time
 * @param inFlight messages delivered and not yet settled (leased, being handed over or moved out)
 * @param consumers push consumers attached
 * @param oldestReadyTimestamp when the oldest ready message was sent (epoch millis), or 0 when none is ready
 * @param sent sends and moves taken in
 * @param delivered deliveries (leases and auto-acked hand-overs), first and repeated
 * @param acked messages acknowledged by consumers
 * @param redelivered deliveries of a message delivered before
 * @param deadLettered messages sent to the dead-letter queue
 */
public record QueueSample(int ready, int delayed, int inFlight, int consumers, long oldestReadyTimestamp, long sent,
                          long delivered, long acked, long redelivered, long deadLettered) {

  /** Nothing yet. */
  public static final QueueSample EMPTY = new QueueSample(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
