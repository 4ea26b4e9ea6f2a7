package dev.ferrymq.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's Vert.x: plain for a single node, clustered with vertx-hazelcast for a member of a cluster, with Micrometer
 * metrics in a Prometheus registry (see {@link #options()}). Either way its
 * event bus refuses Java-serialized and {@code ClusterSerializable} bodies from the wire (Vert.x 5 by default still
 * decodes a few JDK classes with Java serialization); FerryMQ only sends JSON, strings, buffers and primitives.
 */
final class NodeVertx {

  /** The Hazelcast config a cluster member reads unless {@code --hazelcast-config} names another. */
  static final String DEFAULT_CLUSTER_CONFIG = "cluster-config/hazelcast.xml";

  private NodeVertx() {
  }

  /** {@link #start(String, int, String, int, EventBusTls, boolean, StartTimes)} with the cluster's own members. */
  static Future<Vertx> start(String clusterConfig, int hazelcastPort, String clusterHost, int eventBusPort,
                             EventBusTls tls) {
    return start(clusterConfig, hazelcastPort, clusterHost, eventBusPort, tls, false, new StartTimes());
  }

  /**
   * @param clusterConfig a Hazelcast XML/YAML config, or {@code null} for a single node (the broker then embeds its
   *     own member on 127.0.0.1)
   * @param hazelcastPort this member's Hazelcast port, or 0 for the config's
   * @param clusterHost the address the clustered event bus binds to and announces
   * @param eventBusPort the clustered event bus port, 0 for any free one
   * @param tls TLS with client certificates for the clustered event bus, or {@code null} for plain TCP
   * @param alone a cluster of this member only (a cluster name of its own, no other member listed): the self-test
   * @param times where the start-up steps are timed
   */
  static Future<Vertx> start(String clusterConfig, int hazelcastPort, String clusterHost, int eventBusPort,
                             EventBusTls tls, boolean alone, StartTimes times) {
    if (clusterConfig == null) {
      return Future.succeededFuture(hardened(Vertx.vertx(options())));
    }
    Path file = Path.of(clusterConfig);
    if (!Files.isReadable(file)) {
      return Future.failedFuture("cannot read Hazelcast config " + file.toAbsolutePath());
    }
    try {
      Config config = HazelcastSupport.loadClusterConfig(file, hazelcastPort);
      if (alone) {
        config.setClusterName("ferrymq-self-test-" + java.util.UUID.randomUUID());
        config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of("127.0.0.1:" + hazelcastPort));
        // Alone, it can never have a majority of a cluster: the self-test's protection lets one member write (kept
        // enabled: a broker refuses a config whose queues have none; Hazelcast's minimum size cannot be 1).
        config.getSplitBrainProtectionConfigs().values().forEach(c -> c.setFunctionImplementation(members -> true));
      }
      times.config = StartTimes.now();
      config.addListenerConfig(new ListenerConfig((LifecycleListener) event -> {
        if (event.getState() == LifecycleEvent.LifecycleState.STARTED) {
          times.hazelcast = StartTimes.now();
        }
      }));
      config.addListenerConfig(new ListenerConfig(new MembershipLog()));
      HazelcastClusterManager manager = new HazelcastClusterManager(config);
      EventBusOptions eventBus = new EventBusOptions().setHost(clusterHost).setPort(eventBusPort);
      if (tls != null) {
        tls.apply(eventBus);
      }
      return Vertx.builder()
        .with(options().setEventBusOptions(eventBus))
        .withClusterManager(manager)
        .buildClustered()
        .map(NodeVertx::hardened);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Netty's epoll transport where it is available (Linux), NIO elsewhere; Micrometer metrics with a Prometheus registry
   * (Vert.x's event bus, HTTP server and pools, the JVM's), which the broker finds and adds its own to, and the
   * gateway serves at {@code GET /metrics}. Vert.x's default labels only: no per-address or per-path series.
   */
  static VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(true)
      .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  /** Refuses every Java-serialized body, in both directions (the default allows byte[], Number, BigInteger...). */
  static Vertx hardened(Vertx vertx) {
    vertx.eventBus().serializableChecker(className -> false).clusterSerializableChecker(className -> false);
    return vertx;
  }
}
