package dev.ferrymq.broker;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.cluster.PutIfAbsent;
import dev.ferrymq.shard.Partitioning;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The partition counts of destinations created with more than one partition, fixed cluster-wide in {@value #MAP}
 * (key {@code queue:<name>} or {@code topic:<name>}; a delete leaves the count there until the cluster restarts, so a
 * name never changes its count while nodes route by it). Each node keeps a copy, filled at start and kept by an entry
 * listener, so routing never waits for Hazelcast; after a full restart the counts are put back from the destinations'
 * options (which the store keeps).
 */
final class PartitionCounts implements Partitioning {

  /** The cluster's map of fixed partition counts. */
  static final String MAP = "ferrymq.meta.partitions";

  private final HazelcastInstance hazelcast;
  private final String meta;
  private final String prefix;
  private final Map<String, Integer> known = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private volatile java.util.UUID listener;

  /** @param meta the destinations' meta map @param kind {@code queue} or {@code topic} */
  PartitionCounts(HazelcastInstance hazelcast, String meta, String kind) {
    this.hazelcast = hazelcast;
    this.meta = meta;
    this.prefix = kind + ":";
  }

  /** Listens, then reads what is fixed and fixes the counts of partitioned destinations the options name (blocking). */
  void load() {
    IMap<String, String> map = map();
    listener = map.addEntryListener(new Listener(), true);
    map.entrySet().forEach(e -> learn(e.getKey(), e.getValue()));
    hazelcast.<String, String>getMap(meta).entrySet().forEach(e -> {
      String name = e.getKey();
      String json = e.getValue();
      int k = partitionsOf(json);
      if (k > 1) {
        learn(prefix + name, map.executeOnKey(prefix + name, new PutIfAbsent<>(Integer.toString(k))));
      }
    });
  }

  /** Stops listening (blocking: call it off the event loop); the broker is closing, its Hazelcast may stay. */
  void close() {
    java.util.UUID id = listener;
    if (id != null) {
      try {
        map().removeEntryListener(id);
      } catch (RuntimeException ignored) {
        // Hazelcast already down
      }
    }
  }

  /** Learns the counts other nodes fix. */
  private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      learn(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      learn(e.getKey(), e.getValue());
    }
  }

  private void learn(String key, String value) {
    if (key.startsWith(prefix) && value != null) {
      known.put(key.substring(prefix.length()), Integer.parseInt(value));
    }
  }

  @Override
  public int count(String name) {
    return known.getOrDefault(name, 1);
  }

  @Override
  public Future<Integer> fix(String name, int partitions) {
    Context context = Vertx.currentContext();
    try {
      var stage = map().submitToKey(prefix + name, new PutIfAbsent<>(Integer.toString(partitions)));
      Future<String> f = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
      return f.map(fixed -> {
        learn(prefix + name, fixed);
        return Integer.parseInt(fixed);
      }).recover(e -> Future.failedFuture(new UnavailableException("cannot read the cluster's state: " + Failures.reason(e))));
    } catch (RuntimeException e) {
      return Future.failedFuture(new UnavailableException("cannot read the cluster's state: " + Failures.reason(e)));
    }
  }

  @Override
  public int next(String name, int partitions) {
    return Math.floorMod(turns.computeIfAbsent(name, n -> new AtomicInteger()).getAndIncrement(), partitions);
  }

  private static int partitionsOf(String json) {
    try {
      return new JsonObject(json).getInteger("partitions", 1);
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private IMap<String, String> map() {
    return hazelcast.getMap(MAP);
  }
}
