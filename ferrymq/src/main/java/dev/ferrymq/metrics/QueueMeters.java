package dev.ferrymq.metrics;

import java.time.Clock;

/**
 * The meters of one queue, registered by its owner when it starts and removed when it stops: gauges and counters
 * read from the last {@link QueueSample} the owner published. Counters count from the owner's start (a new owner
 * elsewhere starts again at 0, under its own node's series).
 */
public final class QueueMeters implements AutoCloseable {

  private final Destination destination;
  private final Clock clock;
  private volatile QueueSample sample = QueueSample.EMPTY;

  private QueueMeters(Destination destination, Clock clock) {
    this.destination = destination;
    this.clock = clock;
  }

  /**
   * @param deadLetterSource the queue whose default dead-letter queue this one is ({@code orders} for
   *     {@code orders.dlq}), or {@code null}: its depth is then also reported as that queue's dead letters
   * @return the meters of queue {@code name}, or {@code null} when metrics are off; beyond the cap they register
   *     nothing but still hold their place among the unreported destinations until closed
   */
  public static QueueMeters register(Meters meters, String name, String deadLetterSource, Clock clock) {
    Destination d = meters.destination("queue", name);
    if (d == null) {
      return null;
    }
    QueueMeters m = new QueueMeters(d, clock);
    d.gauge("ferrymq.queue.ready.messages", "Messages ready for delivery", m, x -> x.sample.ready())
      .gauge("ferrymq.queue.delayed.messages", "Messages waiting for their due time", m, x -> x.sample.delayed())
      .gauge("ferrymq.queue.in.flight.messages", "Messages delivered and not yet settled", m,
        x -> x.sample.inFlight())
      .gauge("ferrymq.queue.consumers", "Push consumers attached", m, x -> x.sample.consumers())
      .gauge("ferrymq.queue.oldest.ready.age.seconds", "Age of the oldest ready message, 0 when none is ready", m,
        QueueMeters::oldestAge)
      .counter("ferrymq.queue.sent.messages", "Sends (and moves) taken in by the queue", m, x -> x.sample.sent())
      .counter("ferrymq.queue.delivered.messages", "Deliveries, first and repeated", m, x -> x.sample.delivered())
      .counter("ferrymq.queue.acked.messages", "Messages acknowledged", m, x -> x.sample.acked())
      .counter("ferrymq.queue.redelivered.messages", "Deliveries of a message delivered before", m,
        x -> x.sample.redelivered())
      .counter("ferrymq.queue.dead.lettered.messages", "Messages sent to the dead-letter queue", m,
        x -> x.sample.deadLettered());
    if (deadLetterSource != null) {
      d.gauge("ferrymq.queue.dead.letter.messages", "Messages held by the queue's dead-letter queue", deadLetterSource,
        m, x -> (double) x.sample.ready() + x.sample.delayed() + x.sample.inFlight());
    }
    return m;
  }

  private double oldestAge() {
    long ts = sample.oldestReadyTimestamp();
    return ts <= 0 ? 0 : Math.max(0, clock.millis() - ts) / 1000.0;
  }

  /** @return whether the queue is reported one by one (within the cap): otherwise publishing is useless */
  public boolean reported() {
    return destination.reported();
  }

  /** Publishes what the owner counts now; call it on the owner's context. */
  public void publish(QueueSample next) {
    sample = next;
  }

  /** Removes the meters. */
  @Override
  public void close() {
    destination.close();
  }
}
