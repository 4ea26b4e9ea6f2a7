package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ready means it can confirm: a broker on an application's Hazelcast brings FerryMQ's protections or refuses to
 * start, and a member below its split-brain protection's minimum is not ready and confirms nothing.
 */
@Timeout(180)
class ClusterProtectionTest {

  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<Broker> brokers = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Broker b : brokers) {
      b.close().await(60, TimeUnit.SECONDS);
    }
    for (Vertx v : vertxes) {
      v.close().await(60, TimeUnit.SECONDS);
    }
  }

  private Vertx clustered(Config config) throws Exception {
    Vertx v = Vertx.builder()
      .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
      .withClusterManager(new HazelcastClusterManager(config)).buildClustered().await(120, TimeUnit.SECONDS);
    vertxes.add(v);
    return v;
  }

  @Test
  void refusesAnApplicationHazelcastWithoutFerryMqsProtections() throws Exception {
    int port = ClusterNodes.freePorts(1).get(0);
    Config bare = HazelcastSupport.loopbackConfig("bare-" + UUID.randomUUID());
    bare.getNetworkConfig().setPort(port);
    bare.getMultiMapConfig("__vertx.subs").setBackupCount(1);
    Vertx vertx = clustered(bare);
    assertThatThrownBy(() -> Broker.create(vertx, new BrokerOptions()
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await(60, TimeUnit.SECONDS))
      .isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("no map config 'ferrymq.q.*'")
      .hasMessageContaining("no map config 'ferrymq.meta.*'")
      .hasMessageContaining("cluster-config/hazelcast.xml");
  }

  @Test
  void aMemberBelowTheMajorityIsNotReadyAndConfirmsNothingUntilOthersJoin() throws Exception {
    String name = "majority-" + UUID.randomUUID();
    List<String> members = ClusterNodes.freePorts(3).stream().map(p -> "127.0.0.1:" + p).toList();
    Broker alone = Broker.create(clustered(HazelcastSupport.clusterConfig(name,
      Integer.parseInt(members.get(0).split(":")[1]), members)), new BrokerOptions()
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await(60, TimeUnit.SECONDS);
    brokers.add(alone);
    // Known by vertx-hazelcast's node id, which outlives the new UUID Hazelcast gives a member merging after a split.
    assertThat(alone.nodeId()).isEqualTo(((io.vertx.core.internal.VertxInternal) vertxes.get(0)).clusterManager()
      .getNodeId());
    assertThatThrownBy(() -> alone.ready().await(30, TimeUnit.SECONDS))
      .isInstanceOf(UnavailableException.class).hasMessageContaining("needs 2 members, 1 present");
    assertThatThrownBy(() -> alone.queue("jobs").send(Buffer.buffer("x")).await(60, TimeUnit.SECONDS))
      .as("a member alone confirms nothing").isInstanceOf(FerryException.class);

    brokers.add(Broker.create(clustered(HazelcastSupport.clusterConfig(name,
      Integer.parseInt(members.get(1).split(":")[1]), members)), new BrokerOptions()
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await(60, TimeUnit.SECONDS));
    Awaitility.await("ready with 2 of 3 members").atMost(Duration.ofSeconds(90)).ignoreExceptions()
      .until(() -> alone.ready().await(10, TimeUnit.SECONDS) == null);
    assertThat(alone.queue("jobs").send(Buffer.buffer("y")).await(60, TimeUnit.SECONDS)).isNotBlank();
  }
}
