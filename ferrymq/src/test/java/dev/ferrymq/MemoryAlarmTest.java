package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory high watermark: a broker whose watermark is 256 KiB of heap (some 30 messages of 4 KiB) refuses queue sends with
 * {@link MemoryAlarmException} once its queues hold more, keeps consumers, acks and dead-lettering working, and
 * accepts sends again by itself once they drained; the account returns to zero, so nothing leaks.
 */
@Timeout(120)
class MemoryAlarmTest {

  static final int WATERMARK = 256 * 1024;
  static final int PAYLOAD = 4096;

  static Vertx vertx;
  static Broker broker;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    broker = Broker.create(vertx, options()).await();
  }

  /** @return a broker on the node's defaults but an in-memory store and a watermark of {@link #WATERMARK} bytes */
  static BrokerOptions options() {
    return new BrokerOptions().setTickInterval(Duration.ofMillis(10))
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))
      .setMemoryHighWatermark((double) WATERMARK / Runtime.getRuntime().maxMemory());
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void sendsAreRefusedAboveTheWatermarkAndAcceptedAgainOnceAConsumerDrained() {
    Queue q = broker.queue("alarm-drain");
    List<String> accepted = fillUntilRefused(q);
    MessageMemory during = broker.memory();
    assertThat(during.alarm()).as("%s", during).isTrue();
    assertThat(during.heldBytes()).as("%s", during).isGreaterThan(during.highWatermarkBytes());
    // Each held message counts as the heap it takes: twice its envelope (owner's and map's copy) plus some 350 bytes.
    assertThat(accepted.size()).as("accepted messages of %d bytes; %s", PAYLOAD, during)
      .isBetween(WATERMARK / (2 * PAYLOAD + 1000), WATERMARK / (2 * PAYLOAD) + 1);
    assertThat(QueueTest.awaitFailure(q.send(payload(-1)))).as("still refused").isInstanceOf(MemoryAlarmException.class);

    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    QueueConsumer consumer = q.consumer(new ConsumerOptions().setPrefetch(16), d -> {
      if (!seen.add(d.messageId())) {
        duplicates.incrementAndGet();
      }
      d.ack();
    }).await();
    await("the consumer drains all " + accepted.size() + " accepted").atMost(Duration.ofSeconds(60))
      .until(() -> seen.size() >= accepted.size());
    await("the alarm goes off by itself").atMost(Duration.ofSeconds(30))
      .until(() -> !broker.memory().alarm() && broker.memory().heldBytes() == 0);

    List<String> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(q.send(payload(i)).await());
    }
    await("the consumer gets the sends accepted after the drain").atMost(Duration.ofSeconds(30))
      .until(() -> seen.containsAll(after));
    consumer.close().await();
    Set<String> expected = ConcurrentHashMap.newKeySet();
    expected.addAll(accepted);
    expected.addAll(after);
    assertThat(seen).as("every accepted message delivered, nothing else").isEqualTo(expected);
    assertThat(duplicates.get()).as("redeliveries").isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.memory().heldBytes() == 0);
  }

  @Test
  void rejectPurgeAndDeleteWorkDuringTheAlarmAndGiveTheMemoryBack() {
    Queue q = broker.queue("alarm-admin");
    List<String> accepted = fillUntilRefused(q);
    Delivery first = q.receive(1, Duration.ZERO, null).await().get(0);
    first.reject().await(); // dead-lettering moves a message: the alarm does not refuse it
    await("the rejected message reaches the dead-letter queue").atMost(Duration.ofSeconds(30))
      .until(() -> q.peekDeadLetters(10).await().stream().map(Delivery::messageId).toList(),
        ids -> ids.equals(List.of(first.messageId())));
    assertThat(broker.memory().alarm()).as("%s", broker.memory()).isTrue();

    assertThat(q.purge().await()).isEqualTo(accepted.size() - 1);
    assertThat(broker.memory().alarm()).as("%s", broker.memory()).isFalse();
    assertThat(broker.memory().heldBytes()).as("only the dead letter is held")
      .isBetween(2L * PAYLOAD, 2L * PAYLOAD + 1500);
    q.send(payload(0)).await();
    q.delete().await();
    broker.queue("alarm-admin.dlq").delete().await();
    await("a deleted queue's messages are given back").atMost(Duration.ofSeconds(30))
      .until(() -> broker.memory().heldBytes() == 0);
  }

  @Test
  void theWatermarkIsAShareOfTheHeapInTheJsonFormToo() {
    assertThat(new BrokerOptions().getMemoryHighWatermark()).isEqualTo(0.4);
    BrokerOptions o = new BrokerOptions(new JsonObject().put("memoryHighWatermark", 0.25));
    assertThat(o.getMemoryHighWatermark()).isEqualTo(0.25);
    assertThat(o.toJson().getDouble("memoryHighWatermark")).isEqualTo(0.25);
    assertThat(new BrokerOptions(o.toJson()).getMemoryHighWatermark()).isEqualTo(0.25);
    assertThat(new BrokerOptions(o).getMemoryHighWatermark()).isEqualTo(0.25);
    for (Object bad : new Object[] {0, -0.1, 1.5, "40%"}) {
      assertThatThrownBy(() -> new BrokerOptions(new JsonObject().put("memoryHighWatermark", bad)))
        .as("%s", bad).isInstanceOf(InvalidRequestException.class).hasMessageContaining("memoryHighWatermark");
    }
  }

  /** Sends one message at a time until the broker refuses one. @return the ids of those it accepted */
  static List<String> fillUntilRefused(Queue q) {
    return fillUntilRefused(q, broker);
  }

  /** As {@link #fillUntilRefused(Queue)} through {@code via}. */
  static List<String> fillUntilRefused(Queue q, Broker via) {
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 10 * WATERMARK / PAYLOAD; i++) {
      try {
        accepted.add(q.send(payload(i)).await());
      } catch (MemoryAlarmException e) {
        assertThat(e).isInstanceOf(UnavailableException.class);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.code()).isEqualTo("memory-alarm");
        assertThat(e.getMessage()).contains("memory for queued messages is full").contains("retry later");
        return accepted;
      }
    }
    throw new AssertionError("no send refused after " + accepted.size() + " messages; " + via.memory());
  }

  static Buffer payload(int i) {
    Buffer b = Buffer.buffer(PAYLOAD);
    String head = "m" + i + " ";
    b.appendString(head);
    for (int n = head.length(); n < PAYLOAD; n++) {
      b.appendByte((byte) 'x');
    }
    return b;
  }
}
