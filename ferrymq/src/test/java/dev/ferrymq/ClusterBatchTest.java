package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import dev.ferrymq.cluster.Node;
import io.vertx.core.eventbus.DeliveryContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Owner calls that one event loop makes in one turn to the same member cross as one event-bus message (of up to 256
 * calls): counted on the wire by an outbound interceptor on the calling node, with every send confirmed, delivered
 * once and in order — also when large bodies travel alone among them —, each call of a batch answered on its own (a
 * failed ack beside successful sends), and a long poll made in the same turn holding none of them back.
 */
@Timeout(300)
class ClusterBatchTest {

  private static ClusterNodes nodes;
  private static final AtomicInteger singles = new AtomicInteger();
  private static final AtomicInteger batches = new AtomicInteger();
  private static final AtomicInteger batchedCalls = new AtomicInteger();

  @BeforeAll
  static void start() {
    nodes = ClusterNodes.start(3);
    nodes.vertxes.get(0).eventBus().addOutboundInterceptor(ClusterBatchTest::count);
  }

  private static void count(DeliveryContext<Object> ctx) {
    if (ctx.message().address().startsWith("ferrymq.node.")) {
      String to = ctx.message().headers().get("ferrymq-to");
      if ("owners".equals(to)) {
        batches.incrementAndGet();
        batchedCalls.addAndGet(((Buffer) ctx.body()).getInt(0));
      } else if (to != null && to.startsWith("owner:")) {
        singles.incrementAndGet();
      }
    }
    ctx.next();
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void sendsMadeInOneTurnCrossAsOneMessagePerMemberAndArriveInOrderOnce() {
    Broker producer = nodes.brokers.get(0);
    List<String> queues = List.of("batch-a", "batch-b", "batch-c", "batch-d", "batch-e", "batch-f");
    int perQueue = 200;
    for (String q : queues) { // owners started, so that only the sends below are counted
      producer.queue(q).send(Buffer.buffer("warm-up")).await();
      producer.queue(q).purge().await();
    }
    singles.set(0);
    batches.set(0);
    batchedCalls.set(0);
    Promise<List<Future<String>>> issued = Promise.promise();
    nodes.vertxes.get(0).runOnContext(v -> {
      List<Future<String>> sends = new ArrayList<>();
      for (int i = 0; i < perQueue; i++) {
        for (String q : queues) {
          sends.add(producer.queue(q).send(Buffer.buffer(q + ":" + i)));
        }
      }
      issued.complete(sends);
    });
    Future.all(issued.future().await()).await();

    int remote = batchedCalls.get() + singles.get();
    assertThat(remote).as("sends to queues owned by the other two members (of %d)", queues.size() * perQueue)
      .isGreaterThan(0);
    assertThat(batches.get()).as("a message per member and 256 calls for %d remote sends, %d went alone", remote,
      singles.get()).isBetween(1, remote / 256 + 2);
    assertThat(singles.get()).isZero();

    Map<String, List<String>> received = new ConcurrentHashMap<>();
    List<QueueConsumer> consumers = new CopyOnWriteArrayList<>();
    for (String q : queues) {
      consumers.add(nodes.brokers.get(1).queue(q).consumer(new ConsumerOptions().setPrefetch(50), d -> {
        received.computeIfAbsent(q, k -> new CopyOnWriteArrayList<>()).add(d.payload().toString());
        d.ack();
      }).await());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> received.values().stream().mapToInt(List::size).sum()
      == queues.size() * perQueue);
    for (String q : queues) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perQueue; i++) {
        expected.add(q + ":" + i);
      }
      assertThat(received.get(q)).as(q).containsExactlyElementsOf(expected);
    }
    consumers.forEach(c -> c.close().await());
  }

  @Test
  void callsThatTravelAloneKeepTheirPlaceBehindTheGatheredOnes() {
    Broker producer = nodes.brokers.get(0);
    String q = remoteQueue("order");
    Promise<List<Future<String>>> issued = Promise.promise();
    nodes.vertxes.get(0).runOnContext(v -> {
      List<Future<String>> sends = new ArrayList<>();
      for (int i = 0; i < 30; i++) { // every third body is over the size that may share a message
        String body = i % 3 == 1 ? ("m" + i + ":").repeat(20_000) : "m" + i;
        sends.add(producer.queue(q).send(Buffer.buffer(body)));
      }
      issued.complete(sends);
    });
    Future.all(issued.future().await()).await();
    List<String> received = new CopyOnWriteArrayList<>();
    QueueConsumer c = nodes.brokers.get(1).queue(q).consumer(new ConsumerOptions().setPrefetch(50), d -> {
      String p = d.payload().toString();
      received.add(p.substring(0, p.indexOf(':') < 0 ? p.length() : p.indexOf(':')));
      d.ack();
    }).await();
    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 30);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      expected.add("m" + i);
    }
    assertThat(received).containsExactlyElementsOf(expected);
    c.close().await();
  }

  @Test
  void aLongPollInTheSameTurnDoesNotHoldBackTheSends() {
    Broker producer = nodes.brokers.get(0);
    String q = remoteQueue("poll");
    String empty = remoteQueue("poll-empty", ((Node) producer).owners().ownerNode(
      dev.ferrymq.queue.QueueImpl.address(q)));
    Promise<List<Future<?>>> issued = Promise.promise();
    nodes.vertxes.get(0).runOnContext(v -> {
      List<Future<?>> calls = new ArrayList<>();
      calls.add(producer.queue(empty).receive(1, Duration.ofSeconds(60), Duration.ofSeconds(30)));
      for (int i = 0; i < 10; i++) {
        calls.add(producer.queue(q).send(Buffer.buffer("s" + i)));
      }
      issued.complete(calls);
    });
    List<Future<?>> calls = issued.future().await();
    long t0 = System.nanoTime();
    Future.all(calls.subList(1, calls.size())).await();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(calls.get(0).isComplete()).as("the long poll still waits").isFalse();
    assertThat(ms).as("sends confirmed while a receive of the same turn waits (ms)").isLessThan(30_000);
  }

  /** @return a fresh queue (with a prefix) owned by another member than node 0, its owner started */
  private static String remoteQueue(String prefix) {
    return remoteQueue(prefix, null);
  }

  /** @return a fresh queue owned by {@code member} (any member but node 0 when null), its owner started */
  private static String remoteQueue(String prefix, String member) {
    Node node = (Node) nodes.brokers.get(0);
    String self = node.nodeId();
    for (int i = 0; ; i++) {
      String q = prefix + "-" + i;
      String owner = node.owners().ownerNode(dev.ferrymq.queue.QueueImpl.address(q));
      if (owner != null && !owner.equals(self) && (member == null || owner.equals(member))) {
        nodes.brokers.get(0).queue(q).send(Buffer.buffer("warm-up")).await();
        nodes.brokers.get(0).queue(q).purge().await();
        return q;
      }
    }
  }

  @Test
  void eachCallOfABatchGetsItsOwnAnswer() {
    Broker producer = nodes.brokers.get(0);
    List<String> queues = List.of("answer-a", "answer-b", "answer-c", "answer-d");
    for (String q : queues) {
      producer.queue(q).send(Buffer.buffer("warm-up")).await();
      producer.queue(q).purge().await();
    }
    batches.set(0);
    Promise<List<Future<?>>> issued = Promise.promise();
    nodes.vertxes.get(0).runOnContext(v -> {
      List<Future<?>> calls = new ArrayList<>();
      for (String q : queues) {
        calls.add(producer.queue(q).send(Buffer.buffer("one")));
        calls.add(producer.queue(q).ack("no-such-lease"));
        calls.add(producer.queue(q).send(Buffer.buffer("two")));
      }
      issued.complete(calls);
    });
    List<Future<?>> calls = issued.future().await();
    Future.join(calls).otherwiseEmpty().await();
    assertThat(batches.get()).as("the calls crossed in batches").isGreaterThan(0);
    for (int i = 0; i < calls.size(); i++) {
      if (i % 3 == 1) {
        assertThat(calls.get(i).failed()).as("call %d", i).isTrue();
        assertThat(calls.get(i).cause()).isInstanceOf(FerryException.class);
      } else {
        assertThat(calls.get(i).succeeded()).as("call %d: %s", i, calls.get(i).cause()).isTrue();
      }
    }
    for (String q : queues) {
      assertThat(producer.queue(q).stats().await().depth()).as(q).isEqualTo(2);
    }
  }
}
