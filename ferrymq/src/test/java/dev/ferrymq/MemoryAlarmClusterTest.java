package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In a cluster the alarm belongs to the node that owns the queue: a send through another node is refused with the
 * same typed {@link MemoryAlarmException} (it crosses the event bus with its own failure code), and that other
 * node's own alarm stays off.
 */
@Timeout(180)
class MemoryAlarmClusterTest {

  @Test
  void aSendThroughAnotherNodeIsRefusedByTheOwnersAlarm() {
    double watermark = (double) MemoryAlarmTest.WATERMARK / Runtime.getRuntime().maxMemory();
    try (ClusterNodes nodes = ClusterNodes.start(2, o -> o.setMemoryHighWatermark(watermark))) {
      String name = "cluster-alarm";
      nodes.brokers.get(0).queue(name).configure(new QueueOptions()).await(); // creates it: starts its owner
      int owner = nodes.ownerOfQueue(name);
      Broker other = nodes.brokers.get(1 - owner);
      Queue q = other.queue(name);
      List<String> accepted = MemoryAlarmTest.fillUntilRefused(q, other);
      assertThat(nodes.brokers.get(owner).memory().alarm()).isTrue();
      assertThat(other.memory().alarm()).as("the alarm is the owner's node's").isFalse();

      assertThat(q.purge().await()).isEqualTo(accepted.size());
      await().atMost(Duration.ofSeconds(30)).until(() -> !nodes.brokers.get(owner).memory().alarm());
      q.send(MemoryAlarmTest.payload(0)).await();
    }
  }
}
