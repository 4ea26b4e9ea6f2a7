package dev.ferrymq.broker;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.PutIfAbsent;
import dev.ferrymq.shard.Partitioning;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The partition counts of one kind of destination. A count is fixed cluster-wide in {@value #MAP} (key
 * {@code queue:<name>} or {@code topic:<name>}) the first time a node meets the destination or it is created
 * partitioned, and stays there after a delete until the cluster restarts, so no node's cached count can go stale;
 * after a full restart it is read back from the destination's options. This node caches what it read: a count never
 * changes.
 */
final class PartitionCounts implements Partitioning {

  /** The cluster's map of fixed partition counts. */
  static final String MAP = "ferrymq.meta.partitions";

  private final HazelcastInstance hazelcast;
  private final String meta;
  private final String prefix;
  private final Map<String, Integer> known = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

  /** @param meta the destinations' meta map @param kind {@code queue} or {@code topic} */
  PartitionCounts(HazelcastInstance hazelcast, String meta, String kind) {
    this.hazelcast = hazelcast;
    this.meta = meta;
    this.prefix = kind + ":";
  }

  @Override
  public Future<Integer> count(String name) {
    Integer k = known.get(name);
    if (k != null) {
      return Future.succeededFuture(k);
    }
    return read(map().getAsync(prefix + name)).compose(fixed -> fixed != null ? Future.succeededFuture(cache(name, fixed))
      : HazelcastSupport.meta(hazelcast, meta, name).compose(json -> json == null ? Future.succeededFuture(null)
        : fix(name, partitionsOf(json))));
  }

  @Override
  public Future<Integer> fix(String name, int partitions) {
    return fix(name, Integer.toString(partitions));
  }

  private Future<Integer> fix(String name, String partitions) {
    return read(map().submitToKey(prefix + name, new PutIfAbsent<>(partitions)))
      .map(fixed -> cache(name, fixed));
  }

  @Override
  public int next(String name, int partitions) {
    return Math.floorMod(turns.computeIfAbsent(name, n -> new AtomicInteger()).getAndIncrement(), partitions);
  }

  private int cache(String name, String fixed) {
    int k = Integer.parseInt(fixed);
    known.put(name, k);
    return k;
  }

  private static String partitionsOf(String json) {
    try {
      return Integer.toString(new JsonObject(json).getInteger("partitions", 1));
    } catch (RuntimeException e) {
      return "1";
    }
  }

  private IMap<String, String> map() {
    return hazelcast.getMap(MAP);
  }

  private static <T> Future<T> read(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    Future<T> f = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    return f.recover(e -> Future.failedFuture(new UnavailableException("cannot read the cluster's state: " + e)));
  }
}
