package dev.ferrymq;

import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Several clustered Vert.x instances in one JVM, each with its own Hazelcast member on 127.0.0.1 and a broker. */
final class ClusterNodes implements AutoCloseable {

  final List<Vertx> vertxes = new ArrayList<>();
  final List<Broker> brokers = new ArrayList<>();

  static ClusterNodes start(int n) {
    return start(n, o -> o);
  }

  /** @param options changes each node's broker options (tests' defaults: fast ticks, no store) */
  static ClusterNodes start(int n, java.util.function.UnaryOperator<BrokerOptions> options) {
    String clusterName = "test-" + UUID.randomUUID();
    List<Integer> ports = freePorts(n);
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    ClusterNodes nodes = new ClusterNodes();
    // One after the other: members forming a cluster at once on a loaded 2-core machine can miss a backup ack of
    // vertx-hazelcast's own start (its node info), which fails that start.
    for (int i = 0; i < n; i++) {
      HazelcastClusterManager manager = new HazelcastClusterManager(
        HazelcastSupport.clusterConfig(clusterName, ports.get(i), members));
      nodes.vertxes.add(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(manager)
        .buildClustered().await());
    }
    for (Vertx v : nodes.vertxes) {
      nodes.brokers.add(Broker.create(v, options.apply(new BrokerOptions().setTickInterval(Duration.ofMillis(20))
        .setStore(new StoreOptions().setType(StoreOptions.Type.NONE)))).await());
    }
    // Like a user of the cluster: start work once every node is ready (joined, partitions placed and backed up).
    for (Broker b : nodes.brokers) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> b.ready().await() == null);
    }
    return nodes;
  }

  static List<Integer> freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      sockets.forEach(s -> {
        try {
          s.close();
        } catch (IOException ignored) {
          // best effort
        }
      });
    }
  }

  /** @return the index of the node that owns queue {@code q} now */
  int ownerOfQueue(String q) {
    String ownerId = brokers.get(0).cluster().await().owners().get("queue:" + q);
    for (int i = 0; i < brokers.size(); i++) {
      if (brokers.get(i).nodeId().equals(ownerId)) {
        return i;
      }
    }
    throw new IllegalStateException("no node owns queue " + q + " (" + ownerId + ")");
  }

  /** Stops node {@code i} gracefully: its broker, then its Vert.x and Hazelcast member. */
  void stop(int i) {
    brokers.get(i).close().await();
    vertxes.get(i).close().await();
  }

  @Override
  public void close() {
    for (int i = 0; i < vertxes.size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
  }
}
