package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node's journal that is corrupt or belongs to another cluster is refused at start, never dropped or mixed in. */
@Timeout(180)
class JournalFaultsTest {

  private static Vertx clustered(String clusterName) throws Exception {
    int port = ClusterNodes.freePorts(1).get(0);
    return Vertx.builder()
      .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
      .withClusterManager(new HazelcastClusterManager(HazelcastSupport.clusterConfig(clusterName, port,
        List.of("127.0.0.1:" + port))))
      .buildClustered().await(120, TimeUnit.SECONDS);
  }

  @Test
  void aJournalOfAnotherClusterIsRefused(@TempDir Path dir) throws Exception {
    BrokerOptions options = new BrokerOptions().setStore(new StoreOptions().setDataDir(dir.toString()));
    String first = "first-" + System.nanoTime();
    Vertx one = clustered(first);
    try {
      Broker broker = Broker.create(one, options).await(60, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> broker.ready().await(10, TimeUnit.SECONDS) == null);
      broker.queue("kept").send(io.vertx.core.buffer.Buffer.buffer("x")).await(30, TimeUnit.SECONDS);
      broker.close().await(60, TimeUnit.SECONDS);
    } finally {
      one.close().await(60, TimeUnit.SECONDS);
    }
    Vertx other = clustered("second-" + System.nanoTime());
    try {
      assertThatThrownBy(() -> Broker.create(other, options).await(60, TimeUnit.SECONDS))
        .hasMessageContaining("belongs to cluster '" + first + "'").hasMessageContaining("refusing to start");
    } finally {
      other.close().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCorruptStoreFileFailsTheStartAndIsLeftAsItWas(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("ferrymq.db");
    byte[] garbage = "this is not an SQLite database, and it must not be replaced by an empty one\n".repeat(200)
      .getBytes(StandardCharsets.UTF_8);
    Files.write(db, garbage);
    Vertx vertx = Vertx.vertx();
    try {
      assertThatThrownBy(() -> Broker.create(vertx, new BrokerOptions()
        .setStore(new StoreOptions().setDataDir(dir.toString()))).await(60, TimeUnit.SECONDS))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("not a database");
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
    assertThat(Files.readAllBytes(db)).as("the file is left for the operator").isEqualTo(garbage);
  }
}
