package dev.ferrymq.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's FerryMQ meters: the registry they go to (or none: {@link #NONE}, then nothing is registered nor counted)
 * and the cap on how many destinations are reported one by one. Owners take a {@link Destination} when they start and
 * give it back when they stop.
 */
public final class Meters {

  private static final Logger LOG = LoggerFactory.getLogger(Meters.class);

  /** Metrics off: no destination is reported, nothing is counted. */
  public static final Meters NONE = new Meters(null, 0);

  private final MeterRegistry registry;
  private final int maxDestinations;
  private final AtomicInteger reported = new AtomicInteger();
  private final AtomicInteger unreported = new AtomicInteger();
  private final AtomicBoolean capLogged = new AtomicBoolean();
  private final Counter queueTakeovers;
  private final Counter topicTakeovers;

  /**
   * @param registry where the meters go
   * @param maxDestinations how many destinations (queues, topics and topics' local subscribers) this node reports one
   *     by one at most; those beyond are counted in {@code ferrymq_metrics_unreported_destinations} only
   */
  public Meters(MeterRegistry registry, int maxDestinations) {
    this.registry = registry;
    this.maxDestinations = maxDestinations;
    if (registry == null) {
      queueTakeovers = null;
      topicTakeovers = null;
      return;
    }
    queueTakeovers = takeovers("queue");
    topicTakeovers = takeovers("topic");
    Gauge.builder("ferrymq.metrics.reported.destinations", reported, AtomicInteger::get)
      .description("Destinations this node reports one by one (at most the cap)").strongReference(true).register(registry);
    Gauge.builder("ferrymq.metrics.unreported.destinations", unreported, AtomicInteger::get)
      .description("Destinations this node does not report one by one: over the cap").strongReference(true).register(registry);
  }

  private Counter takeovers(String kind) {
    return Counter.builder("ferrymq.owner.takeovers").tag("kind", kind)
      .description("Owners started on this node that took a destination over from an earlier owner (epoch > 1)")
      .register(registry);
  }

  /** @return whether meters are registered at all */
  public boolean enabled() {
    return registry != null;
  }

  /** @return the registry, or {@code null} when metrics are off */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts an owner of {@code kind} ({@code "queue"} or {@code "topic"}) that took its destination over. */
  public void takeover(String kind) {
    if (registry != null) {
      ("queue".equals(kind) ? queueTakeovers : topicTakeovers).increment();
    }
  }

  /**
   * Reserves a destination's place in the reported ones.
   *
   * @param label the label that names it ({@code "queue"} or {@code "topic"})
   * @return where to register its meters, or {@code null} when metrics are off or the cap is reached (logged once)
   */
  public Destination destination(String label, String name) {
    if (registry == null) {
      return null;
    }
    if (reported.incrementAndGet() > maxDestinations) {
      reported.decrementAndGet();
      unreported.incrementAndGet();
      if (capLogged.compareAndSet(false, true)) {
        LOG.warn("metrics: {} destinations reported, the cap (metricsMaxDestinations); {} {} and any more are not"
          + " reported one by one", maxDestinations, label, name);
      }
      return new Destination(this, null, label, name);
    }
    return new Destination(this, registry, label, name);
  }

  /** A destination gave its place back. */
  void released(boolean wasReported) {
    (wasReported ? reported : unreported).decrementAndGet();
  }
}
