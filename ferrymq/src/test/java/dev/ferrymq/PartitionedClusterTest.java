package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.broker.BrokerImpl;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partitioned queue and topic on three in-JVM nodes: the partitions spread over the members, and when the owner of
 * one partition dies (its Hazelcast member terminated, as kill -9 would for the cluster) under load, every confirmed
 * message still reaches a consumer or subscriber on the surviving nodes.
 */
@Timeout(300)
class PartitionedClusterTest {

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
  void nothingConfirmedIsLostWhenAPartitionOwnerDies() {
    String q = "pq-kill";
    String t = "pt-kill";
    Broker first = nodes.brokers.get(0);
    first.queue(q).configure(new QueueOptions().setPartitions(6)).await();
    first.topic(t).configure(new TopicOptions().setPartitions(6)).await();
    Map<String, String> owners = first.cluster().await().owners();
    Set<String> partitionOwners = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      partitionOwners.add(owners.get("queue:" + Names.partition(q, i)));
    }
    assertThat(partitionOwners).as("owners of the partitions " + owners).hasSizeGreaterThan(1).doesNotContainNull();

    int victim = nodes.ownerOfQueue(Names.partition(q, 0));
    Broker producer = nodes.brokers.get((victim + 1) % 3);
    Broker consumerNode = nodes.brokers.get((victim + 2) % 3);
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    List<QueueConsumer> consumers = new ArrayList<>();
    for (Broker b : List.of(producer, consumerNode)) {
      consumers.add(b.queue(q).consumer(new ConsumerOptions().setPrefetch(24), d -> {
        received.computeIfAbsent(d.payload().toString(), p -> new AtomicInteger()).incrementAndGet();
        d.ack();
      }).await());
    }
    Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    Subscription sub = consumerNode.topic(t).subscribe(Position.EARLIEST,
      m -> heard.computeIfAbsent(m.payload().toString(), p -> new AtomicInteger()).incrementAndGet()).await();

    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    Set<String> published = ConcurrentHashMap.newKeySet();
    int failed = 0;
    for (int round = 0; round < 40; round++) {
      if (round == 10) {
        ((BrokerImpl) nodes.brokers.get(victim)).hazelcast().getLifecycleService().terminate();
      }
      List<Future<?>> window = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        String m = "m" + round + "-" + i;
        SendOptions o = i % 2 == 0 ? new SendOptions().setPartitionKey("key" + i) : new SendOptions();
        window.add(producer.queue(q).send(Buffer.buffer(m), o).onSuccess(id -> confirmed.add(m)));
        window.add(producer.topic(t).publish(Buffer.buffer(m)).onSuccess(seq -> published.add(m)));
      }
      Future.join(window).otherwiseEmpty().await();
      failed += (int) window.stream().filter(Future::failed).count();
    }
    int failedSends = failed;
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      Set<String> missing = new TreeSet<>(confirmed);
      missing.removeAll(received.keySet());
      assertThat(missing).as("confirmed sends not received (" + confirmed.size() + " confirmed, " + failedSends
        + " sends/publishes failed)").isEmpty();
      Set<String> unheard = new TreeSet<>(published);
      unheard.removeAll(heard.keySet());
      assertThat(unheard).as("confirmed publishes not heard (" + published.size() + " confirmed)").isEmpty();
    });
    assertThat(confirmed.size()).as("most sends confirmed").isGreaterThan(500);
    long duplicates = received.values().stream().filter(n -> n.get() > 1).count();
    System.out.printf("partitioned kill: %d confirmed sends, %d publishes, %d failed, %d redelivered%n",
      confirmed.size(), published.size(), failedSends, duplicates);
    assertThat(heard.values()).as("a subscriber hears each message once").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    sub.close().await();
    consumers.forEach(c -> c.close().await());
  }
}
