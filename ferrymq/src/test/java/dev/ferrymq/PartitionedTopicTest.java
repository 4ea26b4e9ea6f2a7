package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Partitioned topics through the Java API: per-key order, resume per partition, fixed K, summed stats. */
@Timeout(120)
class PartitionedTopicTest extends BrokerTestBase {

  private static Topic partitioned(String name, int k) {
    Topic t = broker.topic(name);
    t.configure(new TopicOptions().setPartitions(k)).await();
    return t;
  }

  private static void publish(Topic t, String key, String text) {
    t.publish(Buffer.buffer(text), null, key == null ? Map.of() : Map.of(SendOptions.PARTITION_KEY_HEADER, key))
      .await();
  }

  @Test
  void aSubscriberResumesEachPartitionWhereItStopped(TestInfo info) {
    Topic t = partitioned(unique(info), 3);
    for (int i = 0; i < 30; i++) {
      publish(t, i % 2 == 0 ? "k" + (i % 5) : null, "a" + i);
    }
    List<TopicMessage> first = new CopyOnWriteArrayList<>();
    Subscription sub = broker.topic(t.name()).subscribe(Position.EARLIEST, first::add).await();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(first).hasSize(30));
    List<Long> positions = sub.positions();
    sub.close().await();
    assertThat(positions).hasSize(3);
    assertThat(positions.stream().mapToLong(Long::longValue).sum()).as("positions " + positions).isEqualTo(30);
    assertThat(first).allSatisfy(m -> {
      assertThat(m.topic()).isEqualTo(t.name());
      assertThat(m.partition()).isBetween(0, 2);
    });

    for (int i = 0; i < 15; i++) {
      publish(t, null, "b" + i);
    }
    List<TopicMessage> second = new CopyOnWriteArrayList<>();
    Subscription again = t.subscribe(positions.stream().map(Position::after).toList(), second::add,
      gap -> second.add(null)).await();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(second).hasSize(15));
    assertThat(second).extracting(m -> m.payload().toString())
      .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 15).mapToObj(i -> "b" + i).toList());
    for (TopicMessage m : second) {
      assertThat(m.seq()).as("partition " + m.partition()).isGreaterThan(positions.get(m.partition()));
    }
    again.close().await();

    assertThatThrownBy(() -> t.subscribe(Position.after(5), m -> { }).await())
      .isInstanceOf(InvalidRequestException.class).hasMessageContaining("position per partition");
    assertThatThrownBy(() -> t.subscribe(List.of(Position.EARLIEST), m -> { }, g -> { }).await())
      .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void messagesOfOneKeyKeepTheirOrderAndPartition(TestInfo info) {
    Topic t = partitioned(unique(info), 4);
    Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
    Map<String, List<Integer>> order = new ConcurrentHashMap<>();
    Map<String, java.util.Set<Integer>> partitions = new ConcurrentHashMap<>();
    Subscription sub = t.subscribe(Position.LATEST, m -> {
      String[] p = m.payload().toString().split(":");
      order.computeIfAbsent(p[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(p[1]));
      seqs.computeIfAbsent(p[0], k -> new CopyOnWriteArrayList<>()).add(m.seq());
      partitions.computeIfAbsent(p[0], k -> ConcurrentHashMap.newKeySet()).add(m.partition());
    }).await();
    for (int i = 0; i < 25; i++) {
      List<Future<PublishResult>> round = new ArrayList<>();
      for (int k = 0; k < 6; k++) {
        round.add(t.publishForResult(Buffer.buffer("k" + k + ":" + i), "text/plain",
          Map.of(SendOptions.PARTITION_KEY_HEADER, "k" + k)));
      }
      Future.all(round).await();
      round.forEach(f -> assertThat(f.result().partition()).isBetween(0, 3));
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
      assertThat(order.values().stream().mapToInt(List::size).sum()).isEqualTo(150));
    List<Integer> expected = java.util.stream.IntStream.range(0, 25).boxed().toList();
    order.forEach((k, got) -> assertThat(got).as("order of " + k).isEqualTo(expected));
    seqs.forEach((k, s) -> assertThat(s).as("seqs of " + k).isSorted());
    partitions.forEach((k, ps) -> assertThat(ps).as("partitions of " + k).hasSize(1));
    sub.close().await();
  }

  @Test
  void statsAndListingsShowThePartitionedTopicOnce(TestInfo info) {
    Topic t = partitioned(unique(info), 3);
    for (int i = 0; i < 12; i++) {
      publish(t, null, "s" + i);
    }
    TopicStats stats = t.stats().await();
    assertThat(stats.lastSeq()).as("published over all partitions").isEqualTo(12);
    assertThat(stats.options().getPartitions()).isEqualTo(3);
    assertThat(broker.topics().await()).contains(t.name()).noneMatch(n -> n.contains("~"));
    List<TopicStats> page = broker.topics(null, 1000).await().items();
    assertThat(page).noneMatch(s -> s.topic().contains("~"));
    assertThat(page).filteredOn(s -> s.topic().equals(t.name())).singleElement()
      .satisfies(s -> assertThat(s.lastSeq()).isEqualTo(12));
    assertThat(t.history(Position.EARLIEST, 100).await()).hasSize(12);

    assertThatThrownBy(() -> t.configure(new TopicOptions().setPartitions(2)).await())
      .isInstanceOf(ConflictException.class).hasMessageContaining("has 3 partitions");
    Topic plain = broker.topic(unique(info));
    publish(plain, null, "x");
    assertThatThrownBy(() -> plain.configure(new TopicOptions().setPartitions(2)).await())
      .isInstanceOf(ConflictException.class);

    t.delete().await();
    assertThatThrownBy(() -> t.stats().await()).isInstanceOf(NotFoundException.class);
    assertThat(broker.topics().await()).doesNotContain(t.name());
  }
}
