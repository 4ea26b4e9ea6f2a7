package dev.ferrymq.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.PartitioningStrategyConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.internal.Failures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts or finds the Hazelcast member a broker keeps its state in, and declares FerryMQ's structures on it. */
public final class HazelcastSupport {

  /** Prefix of the per-queue message maps; keys are {@code <seq>@<queue>} so a queue lives in one partition. */
  public static final String QUEUE_MAP_PREFIX = "ferrymq.q.";
  /** Prefix of the per-topic ringbuffers. */
  public static final String TOPIC_RING_PREFIX = "ferrymq.t.";
  /** Map of queue name to its options' JSON. */
  public static final String QUEUE_META = "ferrymq.meta.queues";
  /** Map of topic name to its options' JSON. */
  public static final String TOPIC_META = "ferrymq.meta.topics";
  /** Map of topic name to the sequence number before its ringbuffer's first item (non-zero after a full restart). */
  public static final String TOPIC_BASES = "ferrymq.meta.bases";
  /** The member attribute that holds vertx-hazelcast's node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  /** Map of queue name to the epoch of its latest owner. */
  public static final String EPOCHS = "ferrymq.meta.epochs";

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSupport.class);

  private HazelcastSupport() {
  }

  /**
   * @return the id FerryMQ knows member {@code m} by: vertx-hazelcast's node id when the member has one (a member
   *     attribute that stays as it was when Hazelcast gives the member a new UUID as it merges back after a split
   *     brain), else its UUID (a member of its own, which never merges)
   */
  public static String nodeId(Member m) {
    String id = m.getAttribute(VERTX_NODE_ID);
    return id != null ? id : m.getUuid().toString();
  }

  /** @return the Hazelcast member of a Vert.x clustered with vertx-hazelcast, or {@code null} */
  public static HazelcastInstance ofVertx(Vertx vertx) {
    if (vertx instanceof VertxInternal vi && vi.clusterManager() instanceof HazelcastClusterManager hcm) {
      return hcm.getHazelcastInstance();
    }
    return null;
  }

  /** Starts an embedded member (blocking work on a worker thread). */
  public static Future<HazelcastInstance> startEmbedded(Vertx vertx, BrokerOptions options) {
    return vertx.executeBlocking(() -> {
      Config config = options.getHazelcastConfig() == null ? loopbackConfig(options.getClusterName())
        : loadClusterConfig(java.nio.file.Path.of(options.getHazelcastConfig()), 0);
      config.setInstanceName("ferrymq-" + UUID.randomUUID());
      addStructures(config);
      return Hazelcast.newHazelcastInstance(config);
    });
  }

  /** @return a config for one member alone on 127.0.0.1 (an ephemeral port): no multicast, no join, no phone-home */
  public static Config loopbackConfig(String clusterName) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.operation.fail.on.indeterminate.state", "true");
    // With the above, a backup ack later than this fails the write: give a busy machine room before it does.
    config.setProperty("hazelcast.operation.backup.timeout.millis", "15000");
    NetworkConfig network = config.getNetworkConfig();
    // Alone, it needs no known port: an ephemeral one on loopback, so it never takes a cluster node's 5701.
    network.setPort(0).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    return config;
  }

  /**
   * @return a config for a member of a loopback cluster: TCP-IP join with {@code members} ("127.0.0.1:5701"), this
   *     member on {@code port}, failure detection in seconds, and the structures vertx-hazelcast needs
   */
  public static Config clusterConfig(String clusterName, int port, List<String> members) {
    Config config = loopbackConfig(clusterName);
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members);
    ClusterProtection.addMajority(config, members.size());
    addVertxStructures(config);
    addStructures(config);
    return config;
  }

  /** Declares what vertx-hazelcast needs for the clustered event bus (its bundled default config uses multicast). */
  private static void addVertxStructures(Config config) {
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
  }

  /**
   * @return the cluster config in {@code file} (XML or YAML) with this member on {@code port}; FerryMQ's and
   *     vertx-hazelcast's structures are added where the file does not declare them
   */
  public static Config loadClusterConfig(java.nio.file.Path file, int port) throws java.io.IOException {
    Config config = Config.loadFromFile(file.toFile());
    if (port > 0) {
      config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    }
    if (config.getMultiMapConfigs().get("__vertx.subs") == null) {
      addVertxStructures(config);
    }
    addStructures(config);
    return config;
  }

  /**
   * Declares FerryMQ's structures, protected ({@link ClusterProtection}), on a config before the member starts, unless
   * it declares them itself.
   */
  public static void addStructures(Config config) {
    if (config.getMapConfigs().containsKey(QUEUE_MAP_PREFIX + "*")) {
      return;
    }
    ClusterProtection.protect(config, queueMapConfig());
  }

  /**
   * {@code stage} as a future completed on {@code context}, like {@code Future.fromCompletionStage(stage, context)}
   * but one thread hop shorter: Hazelcast runs a plain {@code whenComplete} callback on {@code ForkJoinPool.commonPool()},
   * which then hands over to the event loop; here the thread that completes the stage hands over directly (only an
   * enqueue runs on it, never application code).
   */
  public static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = ((ContextInternal) context).promise();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure == null) {
        promise.complete(value);
      } else {
        promise.fail(failure);
      }
    }, Runnable::run);
    return promise.future();
  }

  /**
   * Reads the entry of destination {@code name} in meta map {@code metaMap} ({@link #QUEUE_META} or
   * {@link #TOPIC_META}): present exactly while the queue or topic exists. Reads only, with an async call completed on
   * the caller's context; creates nothing.
   *
   * @return the destination's options JSON, or {@code null} when it does not exist; a Hazelcast failure (member
   *     shutting down) is an {@link UnavailableException}
   */
  public static Future<String> meta(HazelcastInstance hazelcast, String metaMap, String name) {
    Context context = Vertx.currentContext();
    try {
      var stage = hazelcast.<String, String>getMap(metaMap).getAsync(name);
      Future<String> f = context == null ? Future.fromCompletionStage(stage)
        : Future.fromCompletionStage(stage, context);
      return f.recover(e -> Future.failedFuture(new UnavailableException("cannot read the cluster's state: " + Failures.reason(e))));
    } catch (RuntimeException e) {
      return Future.failedFuture(new UnavailableException("cannot read the cluster's state: " + Failures.reason(e)));
    }
  }

  /** Puts {@code value} under {@code key} unless a value is there. @return the value in force */
  public static <V> Future<V> putIfAbsent(IMap<String, V> map, String key, V value) {
    var stage = map.submitToKey(key, new PutIfAbsent<>(value));
    var context = io.vertx.core.Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
  }

  private static MapConfig queueMapConfig() {
    return new MapConfig(QUEUE_MAP_PREFIX + "*")
      .setBackupCount(1)
      .setInMemoryFormat(InMemoryFormat.BINARY)
      .setPartitioningStrategyConfig(new PartitioningStrategyConfig(StringPartitioningStrategy.class.getName()));
  }
}
