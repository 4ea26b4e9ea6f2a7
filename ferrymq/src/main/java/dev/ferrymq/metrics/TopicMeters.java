package dev.ferrymq.metrics;

/**
 * The meters of one topic's owner, registered when it starts and removed when it stops. The owner writes the values
 * on its own context; the scrape reads them (volatile, no lock). Its subscribers live on every node and are reported
 * by each node for its own ({@link #subscribers}).
 */
public final class TopicMeters implements AutoCloseable {

  private final Destination destination;
  private volatile long lastSeq;
  private volatile long historySize;
  private volatile long published;

  private TopicMeters(Destination destination) {
    this.destination = destination;
  }

  /** @return the meters of topic {@code name}, or {@code null} when metrics are off */
  public static TopicMeters register(Meters meters, String name) {
    Destination d = meters.destination("topic", name);
    if (d == null) {
      return null;
    }
    TopicMeters m = new TopicMeters(d);
    d.gauge("ferrymq.topic.last.seq", "Sequence number of the last message published", m, x -> x.lastSeq)
      .gauge("ferrymq.topic.history.messages", "Messages the topic's history holds (refreshed every 5 s)", m,
        x -> x.historySize)
      .counter("ferrymq.topic.published.messages", "Messages published (appended) since this owner started", m,
        x -> x.published);
    return m;
  }

  /**
   * Registers the gauge of topic {@code name}'s subscribers on this node; in a cluster each node reports its own, so
   * their sum is the topic's.
   *
   * @return where it is registered (close it when the last local subscriber leaves), or {@code null} when metrics are
   *     off
   */
  public static Destination subscribers(Meters meters, String name, java.util.function.IntSupplier count) {
    Destination d = meters.destination("topic", name);
    return d == null ? null : d.gauge("ferrymq.topic.subscribers", "Subscriptions to the topic on this node", count,
      c -> c.getAsInt());
  }

  /** @return whether the topic is reported one by one (within the cap) */
  public boolean reported() {
    return destination.reported();
  }

  /** Publishes the last sequence number and how many messages were appended by this call. */
  public void appended(long lastSeq, int count) {
    this.lastSeq = lastSeq;
    this.published += count; // written on the owner's context only
  }

  /** Publishes the last sequence number (at the owner's start). */
  public void lastSeq(long lastSeq) {
    this.lastSeq = lastSeq;
  }

  /** Publishes how many messages the history holds. */
  public void historySize(long size) {
    this.historySize = size;
  }

  /** Removes the meters. */
  @Override
  public void close() {
    destination.close();
  }
}
