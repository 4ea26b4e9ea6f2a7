package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.broker.BrokerImpl;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A push consumer's node crashes while it holds a lease: the owner hears from Hazelcast that the node left and gives
 * the message to another consumer at once — not after the lease's visibility timeout or the consumer timeout (30 s).
 */
class ConsumerNodeLossTest {

  private static ClusterNodes nodes;

  @BeforeAll
  static void start() {
    nodes = ClusterNodes.start(3);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void leasesOfAConsumerOnACrashedNodeComeBackAtOnce() {
    String q = "node-loss";
    Broker first = nodes.brokers.get(0);
    first.queue(q).configure(new QueueOptions().setVisibilityTimeout(Duration.ofMinutes(5))).await();
    int owner = nodes.ownerOfQueue(q);
    Broker holderNode = nodes.brokers.get((owner + 1) % 3);
    Broker otherNode = nodes.brokers.get((owner + 2) % 3);

    List<String> held = new CopyOnWriteArrayList<>();
    holderNode.queue(q).consumer(new ConsumerOptions().setPrefetch(1), d -> held.add(d.payload().toString()))
      .await(); // never acks
    first.queue(q).send(Buffer.buffer("job")).await();
    await().atMost(Duration.ofSeconds(30)).until(() -> held.contains("job"));

    List<String> taken = new CopyOnWriteArrayList<>();
    otherNode.queue(q).consumer(new ConsumerOptions(), d -> {
      taken.add(d.payload().toString());
      d.ack();
    }).await();
    ((BrokerImpl) holderNode).hazelcast().getLifecycleService().terminate(); // as kill -9 would, for the cluster

    // Well inside the consumer timeout (30 s) and the lease (5 min): only the node's departure can explain it.
    await().atMost(Duration.ofSeconds(20)).until(() -> taken.contains("job"));
    assertThat(held).containsExactly("job");
  }
}
