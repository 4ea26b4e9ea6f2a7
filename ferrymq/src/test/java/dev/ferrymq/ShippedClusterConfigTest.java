package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster-config/hazelcast.xml} as the nodes load it: a broker accepts it (it has every protection), and a
 * topic's own capacity is applied (a static ringbuffer config would win over it).
 */
@Timeout(240)
class ShippedClusterConfigTest {

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

  @Test
  void brokersAcceptTheShippedConfigAndTopicsKeepTheirCapacity(@TempDir Path dir) throws Exception {
    List<Integer> ports = ClusterNodes.freePorts(3);
    String xml = Files.readString(Path.of("..", "cluster-config", "hazelcast.xml"))
      .replace("<cluster-name>ferrymq</cluster-name>", "<cluster-name>shipped-" + System.nanoTime() + "</cluster-name>");
    for (int i = 0; i < 3; i++) {
      xml = xml.replace("<member>127.0.0.1:570" + (i + 1) + "</member>", "<member>127.0.0.1:" + ports.get(i) + "</member>");
    }
    Path file = dir.resolve("hazelcast.xml");
    Files.writeString(file, xml);
    // 2 of 3: the majority the shipped split-brain protection asks for. One after the other: members forming a
    // cluster at once on a loaded 2-core machine can miss a backup ack of vertx-hazelcast's own start.
    for (int i = 0; i < 2; i++) {
      Config config = HazelcastSupport.loadClusterConfig(file, ports.get(i));
      vertxes.add(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered().await(120, TimeUnit.SECONDS));
    }
    for (Vertx v : vertxes) {
      brokers.add(Broker.create(v, new BrokerOptions().setStore(new StoreOptions().setType(StoreOptions.Type.NONE)))
        .await(60, TimeUnit.SECONDS));
    }
    Broker broker = brokers.get(0);
    Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
      .until(() -> broker.ready().await(10, TimeUnit.SECONDS) == null);

    Topic t = broker.topic("capped");
    t.configure(new TopicOptions().setCapacity(10)).await(30, TimeUnit.SECONDS);
    for (int i = 1; i <= 30; i++) {
      t.publish(Buffer.buffer("m" + i)).await(30, TimeUnit.SECONDS);
    }
    assertThat(t.stats().await(30, TimeUnit.SECONDS).oldestSeq()).as("oldest seq kept with capacity 10").isEqualTo(21);
  }
}
