package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** Three clustered nodes in one JVM: producers and consumers on any node, one owner per destination. */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

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

  private static Broker node(int i) {
    return nodes.brokers.get(i);
  }

  @Test
  void competingConsumersOnAllNodesGetEachMessageOnce(TestInfo info) {
    String q = "cluster-q-" + info.getTestMethod().orElseThrow().getName();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<AtomicInteger> perNode = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    List<QueueConsumer> consumers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AtomicInteger count = perNode.get(i);
      consumers.add(node(i).queue(q).consumer(new ConsumerOptions().setPrefetch(20), d -> {
        seen.merge(d.messageId(), 1, Integer::sum);
        count.incrementAndGet();
        d.ack();
      }).await());
    }
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      sends.add(node(i % 3).queue(q).send(Buffer.buffer("m" + i)));
    }
    Future.all(sends).await();

    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 3000);
    assertThat(seen.values()).allMatch(n -> n == 1);
    assertThat(perNode).allMatch(c -> c.get() > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> node(1).queue(q).stats().await().depth() == 0);
    consumers.forEach(c -> c.close().await());
  }

  @Test
  void topicOrderIsTheSameOnEveryNode() {
    String t = "cluster-topic";
    List<List<Long>> seqs = new ArrayList<>();
    List<List<String>> payloads = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Long> s = new CopyOnWriteArrayList<>();
      List<String> p = new CopyOnWriteArrayList<>();
      seqs.add(s);
      payloads.add(p);
      subs.add(node(i).topic(t).subscribe(Position.EARLIEST, m -> {
        s.add(m.seq());
        p.add(m.payload().toString());
      }).await());
    }
    List<Future<Long>> pubs = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      pubs.add(node(i % 3).topic(t).publish(Buffer.buffer("n" + (i % 3) + "-" + i)));
    }
    Future.all(pubs).await();

    await().atMost(Duration.ofSeconds(60)).until(() -> seqs.stream().allMatch(s -> s.size() == 900));
    for (int i = 0; i < 3; i++) {
      assertThat(seqs.get(i)).containsExactlyElementsOf(LongStream.rangeClosed(1, 900).boxed().toList());
      assertThat(payloads.get(i)).isEqualTo(payloads.get(0));
    }
    subs.forEach(s -> s.close().await());
  }

  @Test
  void everyNodeIsReadyAndSeesTheSameOwners() {
    node(0).queue("cluster-info-q").send(Buffer.buffer("x")).await();
    for (int i = 0; i < 3; i++) {
      int n = i;
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> node(n).ready().await() == null);
    }
    ClusterInfo a = node(0).cluster().await();
    ClusterInfo b = node(2).cluster().await();
    assertThat(a.members()).hasSize(3).filteredOn(ClusterInfo.Member::local).hasSize(1);
    assertThat(a.owners()).containsKey("queue:cluster-info-q");
    assertThat(a.owners().get("queue:cluster-info-q")).isEqualTo(b.owners().get("queue:cluster-info-q"))
      .isIn(a.members().stream().map(ClusterInfo.Member::id).toList());
  }

  @Test
  void subscribersAreCountedOnEveryNode() {
    String t = "cluster-subscribers";
    List<Subscription> subs = new ArrayList<>();
    subs.add(node(1).topic(t).subscribe(Position.EARLIEST, m -> { }).await());
    subs.add(node(2).topic(t).subscribe(Position.EARLIEST, m -> { }).await());
    subs.add(node(2).topic(t).subscribe(Position.EARLIEST, m -> { }).await());
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(node(i).cluster().await().subscribers()).as("node " + i).containsEntry(t, 3);
      }
      subs.remove(2).close().await();
      assertThat(node(0).cluster().await().subscribers()).containsEntry(t, 2);
    } finally {
      subs.forEach(s -> s.close().await());
    }
    assertThat(node(0).cluster().await().subscribers()).doesNotContainKey(t);
  }

  @Test
  void requestReplyAcrossNodes() {
    MessageConsumer<Buffer> responder = nodes.vertxes.get(2).eventBus()
      .<Buffer>consumer("cluster-echo", m -> m.reply(Buffer.buffer("echo:" + m.body())));
    responder.completion().await();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      node(0).request("cluster-echo", Buffer.buffer("hi"), Map.of(), Duration.ofSeconds(2)).await()
        .body().toString().equals("echo:hi"));
    Reply r = node(1).request("cluster-echo", Buffer.buffer("x"), Map.of(), Duration.ofSeconds(5)).await();
    assertThat(r.body().toString()).isEqualTo("echo:x");
    responder.unregister().await();
  }

  @Test
  void queueRequestReplyAcrossNodes() {
    QueueConsumer worker = node(2).queue("cluster-rpc").consumer(new ConsumerOptions(), d -> {
      d.reply(Buffer.buffer("done:" + d.payload()), "text/plain");
      d.ack();
    }).await();
    Reply r = node(0).queue("cluster-rpc").request(Buffer.buffer("job"), new SendOptions(), Duration.ofSeconds(10))
      .await();
    assertThat(r.body().toString()).isEqualTo("done:job");
    worker.close().await();
  }

  /** Runs last: it stops the node that owns the queue; the consumer on another node must get on by itself. */
  @Test
  void adminReadsListingsAndDeletesAgreeOnEveryNode() {
    String q = "cluster-admin-q";
    String t = "cluster-admin-t";
    for (int i = 0; i < 3; i++) {
      assertThat(QueueTest.awaitFailure(node(i).queue(q).stats())).isInstanceOf(NotFoundException.class);
      assertThat(QueueTest.awaitFailure(node(i).topic(t).stats())).isInstanceOf(NotFoundException.class);
    }
    node(0).queue(q).send(Buffer.buffer("x")).await();
    node(0).topic(t).publish(Buffer.buffer("x")).await();
    List<Gap> gaps = new CopyOnWriteArrayList<>();
    Subscription sub = node(1).topic(t).subscribe(Position.LATEST, m -> { }, gaps::add).await();
    for (int i = 0; i < 3; i++) {
      assertThat(node(i).queue(q).stats().await().ready()).isEqualTo(1);
      // Each destination once, with its owner's stats, whichever node lists.
      List<QueueInfo> queues = node(i).queues("cluster-admin", 10).await().items().stream()
        .filter(qi -> qi.stats().queue().startsWith("cluster-admin")).toList();
      assertThat(queues).extracting(qi -> qi.stats().queue()).containsExactly(q);
      assertThat(queues.get(0).stats().ready()).isEqualTo(1);
      assertThat(node(i).topics("cluster-admin", 10).await().items())
        .filteredOn(s -> s.topic().startsWith("cluster-admin"))
        .extracting(TopicStats::topic, TopicStats::lastSeq).containsExactly(org.assertj.core.groups.Tuple.tuple(t, 1L));
    }
    node(2).topic(t).delete().await();
    node(1).queue(q).delete().await();
    await().atMost(Duration.ofSeconds(10)).until(() -> gaps.size() == 1);
    for (int i = 0; i < 3; i++) {
      assertThat(QueueTest.awaitFailure(node(i).queue(q).stats())).isInstanceOf(NotFoundException.class);
      assertThat(QueueTest.awaitFailure(node(i).topic(t).history(Position.EARLIEST, 10)))
        .isInstanceOf(NotFoundException.class);
      assertThat(node(i).queues("cluster-admin", 10).await().items())
        .noneMatch(qi -> qi.stats().queue().startsWith("cluster-admin"));
    }
    sub.close().await();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aConsumerReattachesWhenTheOwnerNodeLeaves() {
    String q = "cluster-reattach";
    node(0).queue(q).send(Buffer.buffer("before")).await();
    int owner = nodes.ownerOfQueue(q);
    String ownerId = node(owner).nodeId();
    int other = (owner + 1) % 3;
    List<String> got = new CopyOnWriteArrayList<>();
    QueueConsumer c = node(other).queue(q).consumer(new ConsumerOptions(), d -> {
      got.add(d.payload().toString());
      d.ack();
    }).await();
    await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("before"));

    nodes.stop(owner);
    node(other).queue(q).send(Buffer.buffer("after")).await();
    await().atMost(Duration.ofSeconds(60)).until(() -> got.contains("after"));
    assertThat(node(other).cluster().await().owners().get("queue:" + q)).isNotEqualTo(ownerId);
    c.close().await();
  }
}
