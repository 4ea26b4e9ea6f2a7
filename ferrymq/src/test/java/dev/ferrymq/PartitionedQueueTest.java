package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Partitioned queues through the Java API: spread, per-key order, competing consumers, leases, admin, listings. */
@Timeout(120)
class PartitionedQueueTest extends BrokerTestBase {

  private static Queue partitioned(String name, int k) {
    Queue q = broker.queue(name);
    q.configure(new QueueOptions().setPartitions(k)).await();
    return q;
  }

  private static int partitionOf(Delivery d) {
    return Integer.parseInt(d.leaseId().substring(0, d.leaseId().indexOf('~')));
  }

  @Test
  void competingConsumersGetEveryMessageOnceFromAllPartitions(TestInfo info) {
    Queue q = partitioned(unique(info), 4);
    Map<String, List<String>> got = new ConcurrentHashMap<>(); // payload -> consumers that got it
    Map<Integer, Integer> byPartition = new ConcurrentHashMap<>();
    List<QueueConsumer> consumers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      String who = "c" + c;
      consumers.add(broker.queue(q.name()).consumer(new ConsumerOptions().setPrefetch(8), d -> {
        assertThat(d.queue()).isEqualTo(q.name());
        got.computeIfAbsent(d.payload().toString(), p -> new CopyOnWriteArrayList<>()).add(who);
        byPartition.merge(partitionOf(d), 1, Integer::sum);
        d.ack();
      }).await());
    }
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      SendOptions o = new SendOptions();
      if (i % 2 == 0) {
        o.setPartitionKey("key-" + (i % 13));
      }
      sends.add(q.send(Buffer.buffer("m" + i), o));
    }
    Future.all(sends).await();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(got).as("received so far").hasSize(400));
    got.forEach((payload, who) -> assertThat(who).as("consumers of " + payload).hasSize(1));
    assertThat(byPartition).as("deliveries per partition").containsOnlyKeys(0, 1, 2, 3);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(q.stats().await().depth()).isZero());
    assertThat(q.stats().await().consumers()).as("a consumer on every partition counts once").isEqualTo(3);
    consumers.forEach(c -> c.close().await());
  }

  @Test
  void pullsAcrossPartitionsTakeEachMessageOnceAndAcksReachTheirPartition(TestInfo info) {
    Queue q = partitioned(unique(info), 3);
    for (int i = 0; i < 30; i++) {
      q.send(Buffer.buffer("p" + i)).await();
    }
    Map<String, Integer> seen = new HashMap<>();
    List<Future<List<Delivery>>> pulls = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // competing pulls at once
      pulls.add(broker.queue(q.name()).receive(7, Duration.ofMillis(200), null));
    }
    List<Delivery> all = new ArrayList<>();
    pulls.forEach(p -> all.addAll(p.await()));
    while (all.size() < 30) {
      List<Delivery> more = q.receive(30, Duration.ofSeconds(1), null).await();
      assertThat(more).as("pulled " + all.size() + " of 30 so far").isNotEmpty();
      all.addAll(more);
    }
    all.forEach(d -> seen.merge(d.payload().toString(), 1, Integer::sum));
    assertThat(seen).hasSize(30).allSatisfy((p, n) -> assertThat(n).as(p).isEqualTo(1));
    for (Delivery d : all) {
      broker.queue(q.name()).ack(d.leaseId()).await(); // by id, as an HTTP client would
    }
    assertThat(q.stats().await().depth()).isZero();
    assertThatThrownBy(() -> q.ack("7~1-1").await()).isInstanceOf(LeaseNotFoundException.class);
    assertThatThrownBy(() -> q.ack("1-1").await()).isInstanceOf(LeaseNotFoundException.class)
      .hasMessageContaining("<partition>~<id>");
    assertThat(q.receive(5, Duration.ZERO, null).await()).isEmpty();
  }

  @Test
  void messagesOfOneKeyStayInOrderInOnePartition(TestInfo info) {
    Queue q = partitioned(unique(info), 4);
    int keys = 8;
    int perKey = 40;
    for (int i = 0; i < perKey; i++) {
      List<Future<String>> round = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        round.add(q.send(Buffer.buffer("k" + k + ":" + i), new SendOptions().setPartitionKey("k" + k)));
      }
      Future.all(round).await();
    }
    Map<String, List<Integer>> order = new ConcurrentHashMap<>();
    Map<String, java.util.Set<Integer>> partitions = new ConcurrentHashMap<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(16), d -> {
      String[] parts = d.payload().toString().split(":");
      order.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
      partitions.computeIfAbsent(parts[0], k -> ConcurrentHashMap.newKeySet()).add(partitionOf(d));
      assertThat(d.headers()).containsEntry(SendOptions.PARTITION_KEY_HEADER, parts[0]);
      d.ack();
    }).await();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
      assertThat(order.values().stream().mapToInt(List::size).sum()).isEqualTo(keys * perKey));
    List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
    order.forEach((k, seqs) -> assertThat(seqs).as("order of " + k).isEqualTo(expected));
    partitions.forEach((k, ps) -> assertThat(ps).as("partitions of " + k).hasSize(1));
    assertThat(partitions.values().stream().flatMap(java.util.Set::stream).distinct().count())
      .as("8 keys over 4 partitions use more than one").isGreaterThan(1);
    c.close().await();
  }

  @Test
  void withoutAKeyMessagesGoRoundRobin(TestInfo info) {
    Queue q = partitioned(unique(info), 3);
    for (int i = 0; i < 30; i++) {
      broker.queue(q.name()).send(Buffer.buffer("r" + i)).await(); // a fresh handle each time, as HTTP makes
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    List<Delivery> all = new ArrayList<>();
    while (all.size() < 30) {
      List<Delivery> got = q.receive(30, Duration.ofSeconds(1), null).await();
      assertThat(got).as("pulled " + all.size() + " of 30").isNotEmpty();
      all.addAll(got);
    }
    all.forEach(d -> counts.merge(partitionOf(d), 1, Integer::sum));
    assertThat(counts).as("messages per partition").isEqualTo(Map.of(0, 10, 1, 10, 2, 10));
  }

  @Test
  void thePartitionCountIsFixedAtCreation(TestInfo info) {
    Queue q = partitioned(unique(info), 3);
    assertThatThrownBy(() -> q.configure(new QueueOptions().setPartitions(5)).await())
      .isInstanceOf(ConflictException.class).hasMessageContaining("has 3 partitions");
    assertThatThrownBy(() -> q.configure(new QueueOptions()).await()).isInstanceOf(ConflictException.class);
    q.configure(new QueueOptions().setPartitions(3).setMaxDeliveries(9)).await();
    assertThat(q.options().await().getMaxDeliveries()).isEqualTo(9);
    assertThat(q.options().await().getPartitions()).isEqualTo(3);

    Queue plain = broker.queue(unique(info));
    plain.send(Buffer.buffer("x")).await(); // created with one partition
    assertThatThrownBy(() -> plain.configure(new QueueOptions().setPartitions(4)).await())
      .isInstanceOf(ConflictException.class).hasMessageContaining("has 1 partition");
    assertThatThrownBy(() -> new QueueOptions().setPartitions(0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> broker.queue("a~1").send(Buffer.buffer("x")).await())
      .isInstanceOf(InvalidNameException.class);
  }

  @Test
  void listingsShowAPartitionedQueueOnceWithSummedStats(TestInfo info) {
    Queue q = partitioned(unique(info), 4);
    for (int i = 0; i < 8; i++) {
      q.send(Buffer.buffer("l" + i)).await();
    }
    assertThat(broker.queues().await()).contains(q.name()).noneMatch(n -> n.contains("~"));
    List<QueueInfo> page = broker.queues(null, 1000).await().items();
    assertThat(page).noneMatch(i -> i.stats().queue().contains("~"));
    QueueInfo mine = page.stream().filter(i -> i.stats().queue().equals(q.name())).findFirst().orElseThrow();
    assertThat(mine.stats().ready()).isEqualTo(8);
    assertThat(mine.options().getPartitions()).isEqualTo(4);
    assertThat(q.stats().await().ready()).isEqualTo(8);
  }

  @Test
  void deadLettersOfAllPartitionsGoToTheQueuesOneDeadLetterQueue(TestInfo info) {
    Queue q = partitioned(unique(info), 3);
    for (int i = 0; i < 6; i++) {
      q.send(Buffer.buffer("d" + i)).await();
    }
    List<Delivery> all = new ArrayList<>();
    while (all.size() < 6) {
      all.addAll(q.receive(6, Duration.ofSeconds(1), null).await());
    }
    assertThat(all.stream().map(PartitionedQueueTest::partitionOf).distinct().count()).isEqualTo(3);
    for (Delivery d : all) {
      d.reject().await();
    }
    QueueStats stats = q.stats().await();
    assertThat(stats.deadLetterQueue()).isEqualTo(q.name() + ".dlq");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(q.stats().await().deadLetters()).isEqualTo(6));
    assertThat(q.peekDeadLetters(100).await()).hasSize(6);
    assertThat(broker.queue(q.name() + ".dlq").stats().await().ready()).isEqualTo(6);
    assertThat(q.redrive(100).await()).isEqualTo(6);
    assertThat(q.stats().await().ready()).isEqualTo(6);
    assertThat(q.purge().await()).isEqualTo(6);
    q.delete().await();
    assertThatThrownBy(() -> q.stats().await()).isInstanceOf(NotFoundException.class);
    assertThat(broker.queues().await()).doesNotContain(q.name());
  }
}
