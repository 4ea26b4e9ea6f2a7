package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * A queue with a small page window takes a backlog many times its window: the part beyond lives in the store only,
 * does not count in the memory alarm, and comes back in order as consumers drain the head — with redelivery, delays,
 * TTL, limits, peek, purge and a restart behaving as for messages in memory.
 */
@Timeout(180)
class PagingTest extends BrokerTestBase {

  /** Sends {@code m<from>..m<to-1>} one after the other (so in this order), each confirmed before the next. */
  private static List<String> sendInOrder(Queue q, int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(q.send(Buffer.buffer("m" + i)).await());
    }
    return ids;
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
  }

  /** Receives and acks until {@code n} payloads came, in the order they came; fails on a duplicate. */
  private static List<String> drain(Queue q, int n, int batch) {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (got.size() < n && System.nanoTime() < deadline) {
      for (Delivery d : q.receive(batch, Duration.ofSeconds(2), null).await()) {
        assertThat(got).as("delivered twice").doesNotContain(d.payload().toString());
        got.add(d.payload().toString());
        d.ack().await();
      }
    }
    return got;
  }

  @Test
  void aBacklogManyTimesTheWindowDrainsInOrder(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setPageWindow(10)).await();
    long heldBefore = broker.memory().heldBytes();
    sendInOrder(q, 0, 300);

    QueueStats stats = q.stats().await();
    assertThat(stats.depth()).isEqualTo(300);
    assertThat(stats.paged()).as("beyond a window of 10: %s", stats).isGreaterThanOrEqualTo(280);
    assertThat(stats.bytes()).as("bytes count paged messages too").isGreaterThan(300 * 40);
    // Only the window counts in the memory alarm: 10 small messages, not 300.
    assertThat(broker.memory().heldBytes() - heldBefore).as("held for the window").isLessThan(20 * 1000);

    assertThat(drain(q, 300, 7)).isEqualTo(expected(0, 300));
    stats = q.stats().await();
    assertThat(stats.depth()).as("%s", stats).isZero();
    assertThat(stats.paged()).isZero();
    // Paging is over: new messages go to memory again, after everything before them.
    sendInOrder(q, 300, 305);
    assertThat(q.stats().await().paged()).isZero();
    assertThat(drain(q, 5, 10)).isEqualTo(expected(300, 305));
  }

  @Test
  void aQueueWithPagedMessagesCannotBecomeMemoryOnlyUntilTheyAreDrained(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setPageWindow(10)).await();
    sendInOrder(q, 0, 50);
    assertThat(q.stats().await().paged()).isPositive();
    // Its paged messages live only in the store, which a memory-only queue neither reads nor cleans.
    assertThatThrownBy(() -> q.configure(new QueueOptions().setPageWindow(10).setDurability(Durability.MEMORY))
      .await()).isInstanceOf(ConflictException.class).hasMessageContaining("paged out");
    assertThat(drain(q, 50, 10)).isEqualTo(expected(0, 50));
    q.configure(new QueueOptions().setPageWindow(10).setDurability(Durability.MEMORY)).await();
    assertThat(q.options().await().getDurability()).isEqualTo(Durability.MEMORY);
  }

  @Test
  void competingConsumersRedeliveryDelaysAndTtlAmongPagedMessages(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setPageWindow(16).setMaxDeliveries(5)).await();
    int n = 200;
    for (int i = 0; i < n; i++) {
      SendOptions o = new SendOptions();
      if (i == 50) {
        o.setDelay(Duration.ofMinutes(10)); // the test clock says when it is due
      }
      if (i == 120) {
        o.setTtl(Duration.ofMinutes(1));
      }
      q.send(Buffer.buffer("m" + i), o).await();
    }
    assertThat(q.stats().await().paged()).isGreaterThan(150);
    clock.advance(Duration.ofMinutes(2)); // m120 expires while paged out; m50 is not due yet

    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    List<String> nacked = new CopyOnWriteArrayList<>();
    List<QueueConsumer> consumers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      consumers.add(q.consumer(new ConsumerOptions().setPrefetch(4), d -> {
        String p = d.payload().toString();
        int i = Integer.parseInt(p.substring(1));
        if (i % 7 == 0 && d.deliveryCount() == 1) {
          nacked.add(p);
          d.nack(Duration.ZERO);
        } else {
          d.ack().onSuccess(v -> acked.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet());
        }
      }).await());
    }
    List<String> all = expected(0, n);
    List<String> now = all.stream().filter(p -> !p.equals("m50") && !p.equals("m120")).toList();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
      assertThat(acked.keySet()).as("acked so far").containsExactlyInAnyOrderElementsOf(now));
    assertThat(acked.get("m50")).as("the delayed message before it is due").isNull();

    clock.advance(Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(30)).until(() -> acked.containsKey("m50"));
    assertThat(acked.values()).as("each acked once").allMatch(c -> c.get() == 1);
    assertThat(acked).hasSize(n - 1);
    assertThat(nacked).as("each nacked once, then redelivered")
      .containsExactlyInAnyOrderElementsOf(all.stream().filter(p -> Integer.parseInt(p.substring(1)) % 7 == 0
        && !p.equals("m50")).toList());
    List<Delivery> dead = q.peekDeadLetters(10).await();
    assertThat(dead).extracting(d -> d.payload().toString()).containsExactly("m120");
    assertThat(dead.get(0).headers()).containsEntry("x-death-reason", "expired");
    consumers.forEach(c -> c.close().await());
    assertThat(q.stats().await().depth()).isZero();
  }

  @Test
  void limitsPeekAndPurgeCountPagedMessages(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    q.configure(new QueueOptions().setPageWindow(10).setMaxLength(100)).await();
    sendInOrder(q, 0, 100);
    assertThat(q.stats().await().paged()).isGreaterThanOrEqualTo(90);
    assertThatThrownBy(() -> q.send(Buffer.buffer("one too many")).await()).isInstanceOf(QueueFullException.class);

    // Peek reads past the window: the dead-letter queue pages too.
    broker.queue(name + ".dlq").configure(new QueueOptions().setPageWindow(5)).await();
    for (int i = 0; i < 30; i++) {
      q.receive(1, Duration.ofSeconds(2), null).await().get(0).reject().await();
    }
    // A reject is answered before its move to the dead-letter queue is confirmed.
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.queue(name + ".dlq").stats().await().depth() == 30);
    QueueStats dlq = broker.queue(name + ".dlq").stats().await();
    assertThat(dlq.paged()).as("%s", dlq).isGreaterThanOrEqualTo(20);
    assertThat(q.peekDeadLetters(25).await()).extracting(d -> d.payload().toString()).as("%s", dlq)
      .containsExactlyElementsOf(expected(0, 25));

    assertThat(q.purge().await()).isEqualTo(70);
    QueueStats stats = q.stats().await();
    assertThat(stats.depth()).as("%s", stats).isZero();
    assertThat(stats.bytes()).isZero();
    sendInOrder(q, 100, 110);
    assertThat(drain(q, 10, 20)).isEqualTo(expected(100, 110));
    assertThat(broker.queue(name + ".dlq").purge().await()).isEqualTo(30);
  }

  @Test
  void aRestartBringsBackAPagedBacklogInOrder() throws Exception {
    BrokerOptions options = new BrokerOptions().setTickInterval(Duration.ofMillis(20)).setPageWindow(25)
      .setStore(new StoreOptions().setDataDir(Files.createTempDirectory("ferrymq-paging").toString()));
    Vertx first = Vertx.vertx();
    Broker before = Broker.create(first, options).await();
    try {
      Queue q = before.queue("backlog");
      sendInOrder(q, 0, 500);
      assertThat(drain(q, 20, 20)).isEqualTo(expected(0, 20));
      assertThat(q.stats().await().paged()).isGreaterThan(400);
    } finally {
      before.close().await();
      first.close().await();
    }

    Vertx second = Vertx.vertx();
    Broker after = Broker.create(second, options).await();
    try {
      Queue q = after.queue("backlog");
      QueueStats stats = q.stats().await();
      assertThat(stats.depth()).as("%s", stats).isEqualTo(480);
      assertThat(stats.paged()).as("%s", stats).isGreaterThanOrEqualTo(480 - 25);
      q.send(Buffer.buffer("m500")).await();
      assertThat(drain(q, 481, 50)).isEqualTo(expected(20, 501));
      assertThat(q.stats().await().depth()).isZero();
    } finally {
      after.close().await();
      second.close().await();
    }
  }
}
