package dev.ferrymq.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The node's own meters: its memory alarm, the cluster as it sees it, and its store's group commits. Registered when
 * the broker starts, removed when it closes.
 */
public final class NodeMeters implements AutoCloseable {

  private final MeterRegistry registry;
  private final List<Meter> registered = new ArrayList<>();
  private volatile Timer commits;
  private volatile DistributionSummary batches;

  /** @param registry where the meters go */
  public NodeMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The memory alarm: on (1) or off (0), the bytes held by this node's queues and the high watermark.
   *
   * @return this
   */
  public NodeMeters memory(BooleanSupplier alarm, LongSupplier held, long highWatermark) {
    registered.add(Gauge.builder("ferrymq.memory.alarm", alarm, a -> a.getAsBoolean() ? 1 : 0)
      .description("1 while the memory alarm refuses queue sends, else 0").strongReference(true).register(registry));
    registered.add(Gauge.builder("ferrymq.memory.held", held, LongSupplier::getAsLong).baseUnit("bytes")
      .description("Heap taken by the messages of the queues this node owns, as counted for the alarm")
      .strongReference(true).register(registry));
    registered.add(Gauge.builder("ferrymq.memory.high.watermark", () -> highWatermark).baseUnit("bytes")
      .description("Held bytes above which the memory alarm goes on").strongReference(true).register(registry));
    return this;
  }

  /**
   * The cluster: members seen by this node and whether every partition is safely backed up (1) or not (0).
   *
   * @param safe the last answer of a check that runs off the event loop
   * @return this
   */
  public NodeMeters cluster(IntSupplier members, BooleanSupplier safe) {
    registered.add(Gauge.builder("ferrymq.cluster.members", members, IntSupplier::getAsInt)
      .description("Members of the cluster as this node sees them").strongReference(true).register(registry));
    registered.add(Gauge.builder("ferrymq.cluster.partitions.safe", safe, s -> s.getAsBoolean() ? 1 : 0)
      .description("1 when every partition of the cluster is backed up (no migration under way), else 0")
      .strongReference(true).register(registry));
    return this;
  }

  /** Registers the store's commit latency histogram and batch sizes. @return this */
  public NodeMeters store() {
    Timer t = Timer.builder("ferrymq.store.commit").publishPercentileHistogram()
      .description("Time of one group commit of the store (write and fsync)").register(registry);
    DistributionSummary b = DistributionSummary.builder("ferrymq.store.commit.batch.writes")
      .description("Writes that share one group commit of the store").register(registry);
    registered.add(t);
    registered.add(b);
    batches = b;
    commits = t;
    return this;
  }

  /** Records one commit of {@code writes} writes that took {@code nanos}; any thread. */
  public void committed(int writes, long nanos) {
    Timer t = commits;
    DistributionSummary b = batches;
    if (t != null && b != null) {
      t.record(nanos, TimeUnit.NANOSECONDS);
      b.record(writes);
    }
  }

  /** Removes the meters. */
  @Override
  public void close() {
    registered.forEach(registry::remove);
    registered.clear();
  }
}
