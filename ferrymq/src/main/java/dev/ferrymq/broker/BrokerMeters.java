package dev.ferrymq.broker;

import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.cluster.MemoryAccount;
import dev.ferrymq.metrics.Meters;
import dev.ferrymq.metrics.NodeMeters;
import dev.ferrymq.metrics.Registries;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.store.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Binds a broker's node-wide meters: memory alarm, cluster, store. Whether the partitions are safe is asked of
 * Hazelcast every few seconds on a worker thread (it may block), and the gauge shows the last answer.
 */
final class BrokerMeters {

  private static final long SAFE_CHECK_MS = 2000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Meters meters;
  private final NodeMeters node;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final long timer;
  private volatile boolean safe;

  private BrokerMeters(Vertx vertx, BrokerOptions options, MeterRegistry registry, HazelcastInstance hazelcast,
                       MemoryAccount memory, MessageStore store) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.meters = new Meters(registry, options.getMetricsMaxDestinations());
    this.node = new NodeMeters(registry)
      .memory(memory::alarm, memory::held, memory.highWatermark())
      .cluster(this::members, () -> safe);
    // Only FerryMQ's JDBC stores have group commits to time (not the memory store nor a plugged-in one).
    if (store != null && Stores.observeCommits(store, node::committed)) {
      node.store();
    }
    checkSafe();
    this.timer = vertx.setPeriodic(SAFE_CHECK_MS, id -> checkSafe());
  }

  /** @return the broker's meters, or {@code null} when it reports none */
  static BrokerMeters of(Vertx vertx, BrokerOptions options, HazelcastInstance hazelcast, MemoryAccount memory,
                         MessageStore store) {
    MeterRegistry registry = Registries.of(vertx, options.getMeterRegistry());
    return registry == null ? null : new BrokerMeters(vertx, options, registry, hazelcast, memory, store);
  }

  Meters meters() {
    return meters;
  }

  private int members() {
    try {
      return hazelcast.getCluster().getMembers().size();
    } catch (RuntimeException e) { // shutting down
      return 0;
    }
  }

  private void checkSafe() {
    if (!checking.compareAndSet(false, true)) {
      return; // the last check still runs (it can retry for long while a member dies)
    }
    vertx.executeBlocking(() -> hazelcast.getLifecycleService().isRunning()
        && hazelcast.getPartitionService().isClusterSafe(), false)
      .onComplete(ar -> {
        safe = ar.succeeded() && ar.result();
        checking.set(false);
      });
  }

  void close() {
    vertx.cancelTimer(timer);
    node.close();
  }
}
