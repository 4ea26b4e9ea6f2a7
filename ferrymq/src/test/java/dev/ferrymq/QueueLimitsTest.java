package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code maxLength} and {@code maxBytes} with both overflow policies: reject new, or dead-letter the oldest. */
class QueueLimitsTest extends BrokerTestBase {

  /** 1,000-byte payloads; an envelope adds its id, timestamp and headers (well under 200 bytes here). */
  static final int PAYLOAD = 1000;
  /** Room for three such messages, not four. */
  static final long MAX_BYTES = 3 * (PAYLOAD + 200);

  @Test
  void maxBytesRejectsNewSendsUntilAnAckMakesRoom(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setMaxBytes(MAX_BYTES)).await();
    for (int i = 0; i < 3; i++) {
      q.send(payload(i)).await();
    }
    Throwable refused = QueueTest.awaitFailure(q.send(payload(3)));
    assertThat(refused).isInstanceOf(QueueFullException.class).hasMessageContaining("maxBytes " + MAX_BYTES);
    QueueStats stats = q.stats().await();
    assertThat(stats.ready()).isEqualTo(3);
    assertThat(stats.bytes()).as("%s", stats).isBetween(3L * PAYLOAD, MAX_BYTES);
    assertThat(QueueTest.awaitFailure(q.send(Buffer.buffer(new byte[(int) MAX_BYTES + 1]))))
      .isInstanceOf(QueueFullException.class).hasMessageContaining("can never fit");

    q.receive(1, Duration.ZERO, null).await().get(0).ack().await();
    q.send(payload(3)).await();
    assertThat(payloads(q.receive(10, Duration.ZERO, null).await())).containsExactly("m1", "m2", "m3");
  }

  @Test
  void maxBytesWithDeadLetterOldestMovesTheOldestToTheDeadLetterQueue(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setMaxBytes(MAX_BYTES).setOverflow(Overflow.DEAD_LETTER_OLDEST)).await();
    for (int i = 0; i < 10; i++) {
      q.send(payload(i)).await(); // every send accepted: room is made
    }
    await("the 7 oldest reach the dead-letter queue").atMost(Duration.ofSeconds(30))
      .until(() -> q.peekDeadLetters(100).await(), d -> d.size() == 7);
    List<Delivery> dead = q.peekDeadLetters(100).await();
    assertThat(payloads(dead)).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6");
    assertThat(dead).allSatisfy(d -> assertThat(d.headers()).containsEntry("x-death-reason", "overflow"));
    assertThat(payloads(q.receive(10, Duration.ZERO, null).await())).as("the newest are kept")
      .containsExactly("m7", "m8", "m9");
  }

  @Test
  void maxLengthWithDeadLetterOldestKeepsTheNewest(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setMaxLength(2).setOverflow(Overflow.DEAD_LETTER_OLDEST)).await();
    for (int i = 0; i < 5; i++) {
      q.send(payload(i)).await();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> q.peekDeadLetters(100).await(), d -> d.size() == 3);
    assertThat(payloads(q.peekDeadLetters(100).await())).containsExactly("m0", "m1", "m2");
    assertThat(payloads(q.receive(10, Duration.ZERO, null).await())).containsExactly("m3", "m4");
  }

  @Test
  void deadLetterOldestRefusesWhenNothingCanBeMoved(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setMaxLength(2).setOverflow(Overflow.DEAD_LETTER_OLDEST)
      .setDeadLetterQueue("")).await();
    sendAll(q, 2);
    assertThat(QueueTest.awaitFailure(q.send(payload(2)))).isInstanceOf(QueueFullException.class)
      .hasMessageContaining("no dead-letter queue");

    Queue leased = broker.queue(unique(info));
    leased.configure(new QueueOptions().setMaxLength(2).setOverflow(Overflow.DEAD_LETTER_OLDEST)).await();
    sendAll(leased, 2);
    assertThat(leased.receive(2, Duration.ZERO, null).await()).hasSize(2);
    assertThat(QueueTest.awaitFailure(leased.send(payload(2)))).as("in-flight messages are not dead-lettered")
      .isInstanceOf(QueueFullException.class).hasMessageContaining("none of its messages is ready");
  }

  @Test
  void limitsAndOverflowInTheJsonForm() {
    QueueOptions o = new QueueOptions(new JsonObject().put("maxBytes", 1_000_000).put("overflow", "dead-letter-oldest"));
    assertThat(o.getMaxBytes()).isEqualTo(1_000_000);
    assertThat(o.getOverflow()).isEqualTo(Overflow.DEAD_LETTER_OLDEST);
    assertThat(o.toJson().getLong("maxBytes")).isEqualTo(1_000_000);
    assertThat(o.toJson().getString("overflow")).isEqualTo("dead-letter-oldest");
    assertThat(new QueueOptions().toJson().getString("overflow")).isEqualTo("reject-new");
    assertThat(new QueueOptions(o).getOverflow()).isEqualTo(Overflow.DEAD_LETTER_OLDEST);
    for (JsonObject bad : List.of(new JsonObject().put("overflow", "drop-head"), new JsonObject().put("overflow", 3),
      new JsonObject().put("maxBytes", -1), new JsonObject().put("maxBytes", "1MB"))) {
      assertThatThrownBy(() -> new QueueOptions(bad)).as("%s", bad).isInstanceOf(InvalidRequestException.class);
    }
  }

  static Buffer payload(int i) {
    Buffer b = Buffer.buffer(PAYLOAD).appendString("m" + i);
    return b.appendBytes(new byte[PAYLOAD - b.length()]);
  }

  /** @return each delivery's payload up to its first zero byte ({@code m0}, {@code m1}…) */
  static List<String> payloads(List<Delivery> deliveries) {
    return deliveries.stream().map(d -> {
      byte[] bytes = d.payload().getBytes();
      int end = IntStream.range(0, bytes.length).filter(i -> bytes[i] == 0).findFirst().orElse(bytes.length);
      return new String(bytes, 0, end);
    }).toList();
  }
}
