package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class QueueTest extends BrokerTestBase {

  @Test
  void competingConsumersGetEachMessageOnce(TestInfo info) {
    Queue q = broker.queue(unique(info));
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<AtomicInteger> shares = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    List<QueueConsumer> consumers = new ArrayList<>();
    for (AtomicInteger share : shares) {
      consumers.add(q.consumer(new ConsumerOptions().setPrefetch(50), d -> {
        seen.merge(d.messageId(), 1, Integer::sum);
        share.incrementAndGet();
        d.ack();
      }).await());
    }
    List<String> ids = sendAll(q, 10_000);

    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> q.stats().await().depth() == 0);
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(seen.values()).allMatch(n -> n == 1);
    assertThat(shares).allMatch(s -> s.get() > 0);
    consumers.forEach(c -> c.close().await());
  }

  @Test
  void firstDeliveriesAreFifoAndPrefetchIsRespected(TestInfo info) {
    Queue q = broker.queue(unique(info));
    List<String> ids = sendAll(q, 200);
    List<Delivery> held = new CopyOnWriteArrayList<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(7), held::add).await();

    await().until(() -> held.size() == 7);
    // The window is full: nothing more arrives until something is acked.
    assertThat(q.stats().await().inFlight()).isEqualTo(7);
    List<String> order = new ArrayList<>();
    int acked = 0;
    while (order.size() < 200) {
      await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> held.size() > 0);
      assertThat(held.size()).isLessThanOrEqualTo(7);
      Delivery d = held.remove(0);
      order.add(d.messageId());
      d.ack().await();
      acked++;
    }
    assertThat(order).containsExactlyElementsOf(ids);
    assertThat(acked).isEqualTo(200);
    c.close().await();
  }

  @Test
  void unackedMessageComesBackAfterVisibilityTimeout(TestInfo info) {
    Queue q = broker.queue(unique(info));
    String id = q.send(Buffer.buffer("x")).await();
    Delivery first = q.receive(1, Duration.ZERO, Duration.ofSeconds(30)).await().get(0);
    assertThat(first.deliveryCount()).isEqualTo(1);
    assertThat(q.receive(1, Duration.ZERO, null).await()).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    Delivery second = await().until(() -> q.receive(1, Duration.ZERO, null).await(), l -> !l.isEmpty()).get(0);
    assertThat(second.messageId()).isEqualTo(id);
    assertThat(second.deliveryCount()).isEqualTo(2);
    assertThat(awaitFailure(first.ack())).isInstanceOf(LeaseExpiredException.class);
    second.ack().await();
  }

  @Test
  void closingAConsumerReleasesItsLeasesAtOnce(TestInfo info) {
    Queue q = broker.queue(unique(info));
    sendAll(q, 3);
    List<Delivery> got = new CopyOnWriteArrayList<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(10), got::add).await();
    await().until(() -> got.size() == 3);
    c.close().await();

    List<Delivery> again = q.receive(10, Duration.ofSeconds(5), null).await();
    assertThat(again).hasSize(3).allMatch(d -> d.deliveryCount() == 2);
    again.forEach(d -> d.ack().await());
  }

  @Test
  void deadLettersAfterMaxDeliveries(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    q.configure(new QueueOptions().setMaxDeliveries(3)).await();
    String id = q.send(Buffer.buffer("poison")).await();
    for (int i = 1; i <= 3; i++) {
      Delivery d = q.receive(1, Duration.ofSeconds(5), null).await().get(0);
      assertThat(d.deliveryCount()).isEqualTo(i);
      d.nack(Duration.ZERO).await();
    }
    Queue dlq = broker.queue(name + ".dlq");
    Delivery dead = dlq.receive(1, Duration.ofSeconds(5), null).await().get(0);
    assertThat(dead.messageId()).isEqualTo(id);
    assertThat(dead.headers()).containsEntry("x-death-reason", "max-deliveries").containsEntry("x-death-queue", name);
    assertThat(q.stats().await().depth()).isZero();
    dead.nack(Duration.ZERO).await();
    await().until(() -> q.stats().await().deadLetters() == 1);
  }

  @Test
  void rejectDeadLettersAtOnceAndRedriveBringsItBack(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    String id = q.send(Buffer.buffer("bad"), Map.of("k", "v")).await();
    q.receive(1, Duration.ZERO, null).await().get(0).reject().await();

    await().until(() -> q.stats().await().deadLetters() == 1);
    List<Delivery> peeked = q.peekDeadLetters(10).await();
    assertThat(peeked).extracting(Delivery::messageId).containsExactly(id);
    assertThat(peeked.get(0).headers()).containsEntry("x-death-reason", "rejected").containsEntry("k", "v");

    assertThat(q.redrive(10).await()).isEqualTo(1);
    Delivery back = q.receive(1, Duration.ofSeconds(5), null).await().get(0);
    assertThat(back.messageId()).isEqualTo(id);
    assertThat(back.deliveryCount()).isEqualTo(1);
    back.ack().await();
    assertThat(q.stats().await().deadLetters()).isZero();
  }

  @Test
  void nackWithDelayHoldsTheMessageBack(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.send(Buffer.buffer("later")).await();
    q.receive(1, Duration.ZERO, null).await().get(0).nack(Duration.ofMinutes(5)).await();
    assertThat(q.stats().await().delayed()).isEqualTo(1);
    assertThat(q.receive(1, Duration.ZERO, null).await()).isEmpty();

    clock.advance(Duration.ofMinutes(6));
    Delivery d = q.receive(1, Duration.ofSeconds(5), null).await().get(0);
    assertThat(d.deliveryCount()).isEqualTo(2);
    d.ack().await();
  }

  @Test
  void sendWithDelay(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.send(Buffer.buffer("d"), new SendOptions().setDelay(Duration.ofMinutes(1))).await();
    assertThat(q.receive(1, Duration.ZERO, null).await()).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    q.receive(1, Duration.ofSeconds(5), null).await().get(0).ack().await();
  }

  @Test
  void expiredMessagesGoToTheDeadLetterQueueInsteadOfAConsumer(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    String stale = q.send(Buffer.buffer("stale"), new SendOptions().setTtl(Duration.ofSeconds(10))).await();
    String fresh = q.send(Buffer.buffer("fresh")).await();
    clock.advance(Duration.ofSeconds(11));

    List<Delivery> got = q.receive(10, Duration.ZERO, null).await();
    assertThat(got).extracting(Delivery::messageId).containsExactly(fresh);
    got.get(0).ack().await();
    Delivery dead = broker.queue(name + ".dlq").receive(1, Duration.ofSeconds(5), null).await().get(0);
    assertThat(dead.messageId()).isEqualTo(stale);
    assertThat(dead.headers()).containsEntry("x-death-reason", "expired").containsKey(SendOptions.EXPIRES_AT_HEADER);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SendOptions().setTtl(Duration.ofDays(31)))
      .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void extendKeepsTheLease(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.send(Buffer.buffer("long job")).await();
    Delivery d = q.receive(1, Duration.ZERO, Duration.ofSeconds(10)).await().get(0);
    clock.advance(Duration.ofSeconds(8));
    d.extend(Duration.ofSeconds(60)).await();
    clock.advance(Duration.ofSeconds(8));
    // Past the original 10 s, but within the extension: still leased.
    assertThat(q.receive(1, Duration.ZERO, null).await()).isEmpty();
    assertThat(q.stats().await().inFlight()).isEqualTo(1);
    d.ack().await();
    assertThat(q.stats().await().depth()).isZero();
  }

  @Test
  void sendCompletesOnlyWhenTheMessageCanBeDelivered(TestInfo info) {
    Queue q = broker.queue(unique(info));
    for (int i = 0; i < 50; i++) {
      String id = q.send(Buffer.buffer("c" + i)).await();
      List<Delivery> got = q.receive(1, Duration.ZERO, null).await();
      assertThat(got).extracting(Delivery::messageId).containsExactly(id);
      got.get(0).ack().await();
    }
  }

  @Test
  void longPollWaitsForAMessageOrReturnsEmpty(TestInfo info) {
    Queue q = broker.queue(unique(info));
    assertThat(q.receive(5, Duration.ofMillis(200), null).await()).isEmpty();
    Future<List<Delivery>> waiting = q.receive(5, Duration.ofSeconds(20), null);
    String id = q.send(Buffer.buffer("wake")).await();
    assertThat(waiting.await()).extracting(Delivery::messageId).containsExactly(id);
  }

  @Test
  void maxLengthRefusesWithAClearError(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setMaxLength(2)).await();
    sendAll(q, 2);
    assertThat(awaitFailure(q.send(Buffer.buffer("3")))).isInstanceOf(QueueFullException.class);
    assertThat(q.stats().await().ready()).isEqualTo(2);
  }

  /**
   * The first dead-lettering starts the dead-letter queue's owner from the source queue's owner: it must not be a
   * child of it (Vert.x undeploys children with their parent), or deleting the source would stop the DLQ's owner.
   */
  @Test
  void aDeadLetterQueueOutlivesTheOwnerOfItsSourceQueue(TestInfo info) {
    Queue q = broker.queue(unique(info));
    Queue dlq = broker.queue(q.name() + ".dlq");
    sendAll(q, 1);
    q.receive(1, Duration.ZERO, null).await().get(0).reject().await();
    await().atMost(Duration.ofSeconds(30)).until(() -> dlq.stats().await().ready() == 1);
    q.delete().await();
    await("the dead-letter queue keeps answering").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
      .until(() -> dlq.stats().await(2, java.util.concurrent.TimeUnit.SECONDS).ready() == 1);
    dlq.delete().await();
  }

  @Test
  void idempotencyKeyKeepsOneCopy(TestInfo info) {
    Queue q = broker.queue(unique(info));
    SendOptions opts = new SendOptions().setIdempotencyKey("order-42");
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(q.send(Buffer.buffer("once"), opts));
    }
    Future.all(sends).await();
    Set<String> ids = new HashSet<>();
    sends.forEach(f -> ids.add(f.result()));
    assertThat(ids).hasSize(1);
    assertThat(q.stats().await().ready()).isEqualTo(1);
  }

  @Test
  void idempotencyKeyIsRememberedForItsWindowOnly(TestInfo info) {
    Queue q = broker.queue(unique(info));
    SendOptions opts = new SendOptions().setIdempotencyKey("invoice-7");
    String first = q.send(Buffer.buffer("a"), opts).await();
    assertThat(q.send(Buffer.buffer("a"), opts).await()).isEqualTo(first); // confirmed, within its window
    assertThat(q.stats().await().ready()).isEqualTo(1);

    clock.advance(BrokerOptions.DEFAULT_IDEMPOTENCY_WINDOW.plusSeconds(1));
    String second = q.send(Buffer.buffer("a"), opts).await();
    assertThat(second).isNotNull().isNotEqualTo(first); // past the window: a new message
    assertThat(q.stats().await().ready()).isEqualTo(2);
    assertThat(q.send(Buffer.buffer("a"), opts).await()).isEqualTo(second);
    assertThat(q.stats().await().ready()).isEqualTo(2);
  }

  @Test
  void contentTypeAndHeadersTravel(TestInfo info) {
    Queue q = broker.queue(unique(info));
    byte[] binary = {0, (byte) 0xff, 10, 13};
    q.send(Buffer.buffer(binary), new SendOptions().setContentType("application/octet-stream").putHeader("a", "b"))
      .await();
    Delivery d = q.receive(1, Duration.ZERO, null).await().get(0);
    assertThat(d.payload().getBytes()).isEqualTo(binary);
    assertThat(d.contentType()).isEqualTo("application/octet-stream");
    assertThat(d.headers()).isEqualTo(Map.of("a", "b"));
  }

  @Test
  void purgeAndDelete(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    sendAll(q, 10);
    assertThat(q.purge().await()).isEqualTo(10);
    assertThat(q.stats().await().ready()).isZero();
    sendAll(q, 3);
    assertThat(broker.queues().await()).contains(name);
    q.delete().await();
    assertThat(broker.queues().await()).doesNotContain(name);
    // Gone: reads and a second delete say so and bring nothing back; the next send creates it again, empty.
    assertThat(awaitFailure(q.stats())).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(q.delete())).isInstanceOf(NotFoundException.class);
    assertThat(broker.queues().await()).doesNotContain(name);
    q.send(Buffer.buffer("again")).await();
    assertThat(q.stats().await().depth()).isEqualTo(1);
  }

  @Test
  void readsNeverCreateAQueue(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    Throwable notFound = awaitFailure(q.stats());
    assertThat(notFound).isInstanceOf(NotFoundException.class).hasMessage("queue '" + name + "' does not exist");
    assertThat(((FerryException) notFound).status()).isEqualTo(404);
    assertThat(awaitFailure(q.options())).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(q.peekDeadLetters(10))).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(q.redrive(10))).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(q.purge())).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(q.delete())).isInstanceOf(NotFoundException.class);
    assertThat(broker.queues().await()).doesNotContain(name);

    q.send(Buffer.buffer("x")).await();
    assertThat(q.stats().await().ready()).isEqualTo(1);
    assertThat(q.options().await().getMaxDeliveries()).isEqualTo(QueueOptions.DEFAULT_MAX_DELIVERIES);
    // Its dead-letter queue is not created by looking into it either.
    assertThat(q.peekDeadLetters(10).await()).isEmpty();
    assertThat(q.redrive(10).await()).isZero();
    assertThat(broker.queues().await()).contains(name).doesNotContain(name + ".dlq");
    assertThat(awaitFailure(broker.queue(name + ".dlq").stats())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void configureCreatesAQueue(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    q.configure(new QueueOptions().setMaxDeliveries(2)).await();
    assertThat(broker.queues().await()).contains(name);
    assertThat(q.options().await().getMaxDeliveries()).isEqualTo(2);
    assertThat(q.stats().await().depth()).isZero();
  }

  @Test
  void badInputFailsTheFutureWithTypedErrors(TestInfo info) {
    assertThat(awaitFailure(broker.queue("bad name").send(Buffer.buffer("x")))).isInstanceOf(InvalidNameException.class);
    assertThat(awaitFailure(broker.queue("").stats())).isInstanceOf(InvalidNameException.class);
    assertThat(awaitFailure(broker.queue("x".repeat(201)).send(Buffer.buffer("x"))))
      .isInstanceOf(InvalidNameException.class);
    Queue q = broker.queue(unique(info));
    assertThat(awaitFailure(q.send(null))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(q.receive(0, Duration.ZERO, null))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(q.receive(1, Duration.ofDays(2), null))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(q.ack("nope"))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(awaitFailure(q.ack("999999-1"))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(awaitFailure(q.nack("x", Duration.ofSeconds(-1)))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(q.consumer(new ConsumerOptions(), null))).isInstanceOf(NullPointerException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsumerOptions().setPrefetch(0))
      .isInstanceOf(InvalidRequestException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QueueOptions(new io.vertx.core.json.JsonObject()
      .put("visibilityTimeout", "soon"))).isInstanceOf(InvalidRequestException.class);
    // Nothing was lost or created by the bad calls.
    assertThat(q.stats().await().depth()).isZero();
  }

  static Throwable awaitFailure(Future<?> f) {
    try {
      f.await();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got " + f.result());
  }

  @Test
  void requestThroughAQueue(TestInfo info) {
    Queue q = broker.queue(unique(info));
    QueueConsumer c = q.consumer(new ConsumerOptions(), d -> {
      d.reply(Buffer.buffer("re:" + d.payload()), "text/plain");
      d.ack();
    }).await();
    Reply r = q.request(Buffer.buffer("ping"), new SendOptions(), Duration.ofSeconds(10)).await();
    assertThat(r.body().toString()).isEqualTo("re:ping");
    assertThat(r.contentType()).isEqualTo("text/plain");
    c.close().await();
    assertThat(awaitFailure(q.request(Buffer.buffer("nobody"), new SendOptions(), Duration.ofMillis(300))))
      .isInstanceOf(RequestTimeoutException.class);
  }

  @Test
  void listingPagesWithStatsAndMarksDeadLetterQueues(TestInfo info) {
    String p = unique(info);
    sendAll(broker.queue(p + "-a"), 3);
    broker.queue(p + "-b").configure(new QueueOptions().setDeadLetterQueue(p + "-a")).await();
    Page<QueueInfo> page = broker.queues(p, 1).await();
    assertThat(page.items()).hasSize(1);
    QueueInfo a = page.items().get(0);
    assertThat(a.stats().queue()).isEqualTo(p + "-a");
    assertThat(a.stats().ready()).isEqualTo(3);
    assertThat(a.isDeadLetterQueue()).isTrue();
    assertThat(a.deadLetterQueueOf()).containsExactly(p + "-b");
    assertThat(page.next()).isEqualTo(p + "-a");
    QueueInfo b = broker.queues(page.next(), 1).await().items().get(0);
    assertThat(b.stats().queue()).isEqualTo(p + "-b");
    assertThat(b.isDeadLetterQueue()).isFalse();
    assertThat(b.options().getDeadLetterQueue()).isEqualTo(p + "-a");
    assertThat(awaitFailure(broker.queues(null, 0))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(broker.queues(null, Page.MAX_LIMIT + 1))).isInstanceOf(InvalidRequestException.class);
    assertThat(awaitFailure(broker.queues("bad name", 1))).isInstanceOf(InvalidNameException.class);
  }
}
