package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class PatternSubscriptionTest extends BrokerTestBase {

  static final Duration WAIT = Duration.ofSeconds(30);

  static void publish(Broker b, String topic, String... payloads) {
    for (String p : payloads) {
      b.topic(topic).publish(Buffer.buffer(p)).await();
    }
  }

  static List<String> seen(List<TopicMessage> got) {
    return got.stream().map(m -> m.topic() + ":" + m.seq() + ":" + m.payload()).toList();
  }

  @Test
  void starFollowsExistingAndLaterTopicsOfOneSegmentOnly(TestInfo info) {
    String root = unique(info);
    publish(broker, root + ".eu", "e1", "e2");
    publish(broker, root + ".eu.paris", "x1");
    publish(broker, root, "x2");
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    PatternSubscription sub = broker.subscribe(root + ".*", new SubscribeOptions().setFrom(Position.EARLIEST),
      got::add).await();
    try {
      await().atMost(WAIT).untilAsserted(() -> assertThat(seen(got)).containsExactly(root + ".eu:1:e1",
        root + ".eu:2:e2"));
      publish(broker, root + ".us", "u1", "u2"); // created after the subscription started
      publish(broker, root + ".eu", "e3");
      publish(broker, root + ".eu.paris", "x3");
      await().atMost(WAIT).untilAsserted(() -> assertThat(seen(got)).containsExactlyInAnyOrder(root + ".eu:1:e1",
        root + ".eu:2:e2", root + ".eu:3:e3", root + ".us:1:u1", root + ".us:2:u2"));
      assertThat(sub.positions()).isEqualTo(Map.of(root + ".eu", 3L, root + ".us", 2L));
    } finally {
      sub.close().await();
    }
    publish(broker, root + ".eu", "e4");
    publish(broker, root + ".de", "d1");
    // Closed: nothing more arrives (checked after a later message of a topic it followed has surely been fanned out).
    List<TopicMessage> probe = new CopyOnWriteArrayList<>();
    PatternSubscription other = broker.subscribe(root + ".eu", new SubscribeOptions().setFrom(Position.after(3)),
      probe::add).await();
    await().atMost(WAIT).until(() -> probe.size() == 1);
    other.close().await();
    assertThat(got).hasSize(5);
  }

  @Test
  void gtFollowsEveryDepthAndEachMessageComesOnceInOrderPerTopic(TestInfo info) {
    String root = unique(info);
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    // Two patterns that overlap, and a name they both match: each topic is followed once.
    PatternSubscription sub = broker.subscribe(List.of(root + ".>", root + ".a.*", root + ".a.b"),
      new SubscribeOptions(), got::add, gap -> { }).await();
    try {
      List<String> topics = List.of(root + ".a.b", root + ".a.c", root + ".z", root + ".a.b.c");
      List<io.vertx.core.Future<Long>> pubs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        for (String t : topics) {
          pubs.add(broker.topic(t).publish(Buffer.buffer("m" + i)));
        }
      }
      io.vertx.core.Future.all(pubs).await();
      publish(broker, root + "x.a", "not-matched");
      await().atMost(WAIT).untilAsserted(() -> assertThat(got).hasSize(200));
      for (String t : topics) {
        List<Long> seqs = got.stream().filter(m -> m.topic().equals(t)).map(TopicMessage::seq).toList();
        assertThat(seqs).as(t).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
      }
      assertThat(got).noneMatch(m -> m.topic().equals(root + "x.a"));
    } finally {
      sub.close().await();
    }
  }

  @Test
  void resumesEachTopicFromItsPositionAndStartsUnseenOnesFromTheBeginning(TestInfo info) {
    String root = unique(info);
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    PatternSubscription sub = broker.subscribe(root + ".*", new SubscribeOptions(), got::add).await();
    publish(broker, root + ".a", "a1", "a2");
    publish(broker, root + ".b", "b1");
    await().atMost(WAIT).until(() -> got.size() == 3);
    Map<String, Long> positions = sub.positions();
    sub.close().await();
    assertThat(positions).isEqualTo(Map.of(root + ".a", 2L, root + ".b", 1L));
    publish(broker, root + ".a", "a3");
    publish(broker, root + ".b", "b2");
    publish(broker, root + ".c", "c1"); // appeared while away
    List<TopicMessage> again = new CopyOnWriteArrayList<>();
    PatternSubscription resumed = broker.subscribe(root + ".*", new SubscribeOptions().setPositions(positions),
      again::add).await();
    try {
      await().atMost(WAIT).untilAsserted(() -> assertThat(seen(again)).containsExactlyInAnyOrder(root + ".a:3:a3",
        root + ".b:2:b2", root + ".c:1:c1"));
    } finally {
      resumed.close().await();
    }
  }

  @Test
  void badPatternsFailTheFuture() {
    assertThat(QueueTest.awaitFailure(broker.subscribe("orders.e*", new SubscribeOptions(), m -> { })))
      .isInstanceOf(InvalidRequestException.class);
    assertThat(QueueTest.awaitFailure(broker.subscribe(List.of(), new SubscribeOptions(), m -> { }, g -> { })))
      .isInstanceOf(InvalidRequestException.class);
  }
}
