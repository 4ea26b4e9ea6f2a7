package dev.ferrymq;

import static dev.ferrymq.PatternSubscriptionTest.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pattern subscriptions on a 3-node in-JVM cluster: topics created on other nodes are picked up. */
class PatternClusterTest {

  static final Duration WAIT = Duration.ofSeconds(60);
  static ClusterNodes nodes;

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

  static Broker node(int i) {
    return nodes.brokers.get(i);
  }

  @Test
  void topicsCreatedOnOtherNodesReachEveryNodesPatternSubscriptionsOnceAndInOrder() {
    List<TopicMessage> star = new CopyOnWriteArrayList<>();
    List<TopicMessage> gt = new CopyOnWriteArrayList<>();
    node(0).topic("cl.orders.old").publish(Buffer.buffer("o1")).await();
    PatternSubscription s0 = node(0).subscribe("cl.orders.*", new SubscribeOptions().setFrom(Position.EARLIEST),
      star::add).await();
    PatternSubscription s1 = node(1).subscribe("cl.>", new SubscribeOptions(), gt::add).await();
    try {
      await().atMost(WAIT).until(() -> star.size() == 1);
      // Created later, by publishes from nodes 1 and 2 (the owners are wherever their partitions are).
      List<String> topics = List.of("cl.orders.eu", "cl.orders.us", "cl.orders.asia", "cl.orders.eu.paris");
      List<Future<Long>> pubs = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        for (int t = 0; t < topics.size(); t++) {
          pubs.add(node(1 + t % 2).topic(topics.get(t)).publish(Buffer.buffer("m" + i)));
        }
      }
      Future.all(pubs).await();
      await().atMost(WAIT).untilAsserted(() -> assertThat(star).as(() -> seen(star).toString()).hasSize(61));
      await().atMost(WAIT).untilAsserted(() -> assertThat(gt).as(() -> seen(gt).toString()).hasSize(80));
      for (String t : topics) {
        List<Long> expected = LongStream.rangeClosed(1, 20).boxed().toList();
        assertThat(gt.stream().filter(m -> m.topic().equals(t)).map(TopicMessage::seq).toList()).as(t)
          .isEqualTo(expected);
        if (!t.endsWith("paris")) {
          assertThat(star.stream().filter(m -> m.topic().equals(t)).map(TopicMessage::seq).toList()).as(t)
            .isEqualTo(expected);
        }
      }
      assertThat(star).noneMatch(m -> m.topic().equals("cl.orders.eu.paris"));
      assertThat(s0.positions()).isEqualTo(Map.of("cl.orders.old", 1L, "cl.orders.eu", 20L, "cl.orders.us", 20L,
        "cl.orders.asia", 20L));
    } finally {
      s0.close().await();
      s1.close().await();
    }
  }
}
