package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.broker.BrokerImpl;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** At-most-once consumption: {@link ConsumerOptions#setAutoAck} and {@link Queue#receiveAutoAck}. */
class AutoAckTest extends BrokerTestBase {

  @Test
  void autoAckedMessagesAreGoneAndNeverRedelivered(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    q.configure(new QueueOptions().setVisibilityTimeout(Duration.ofSeconds(5))).await();
    List<String> ids = sendAll(q, 50);
    List<Delivery> got = new CopyOnWriteArrayList<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(10).setAutoAck(true), got::add).await();

    await().until(() -> got.size() == 50);
    assertThat(got).extracting(Delivery::messageId).containsExactlyElementsOf(ids); // FIFO
    assertThat(got).allMatch(d -> d.deliveryCount() == 1 && d.leaseId() == null);
    QueueStats stats = q.stats().await();
    assertThat(stats.depth()).isZero();
    assertThat(stats.inFlight()).isZero();
    // Removed from the replicated map too (before delivery), so a new owner would not deliver them again.
    assertThat(((BrokerImpl) broker).hazelcast().getMap(HazelcastSupport.QUEUE_MAP_PREFIX + name).size()).isZero();

    // Past any visibility timeout: nothing comes back, neither to the consumer nor to a pull.
    clock.advance(Duration.ofMinutes(1));
    assertThat(q.receive(10, Duration.ofMillis(300), null).await()).isEmpty();
    assertThat(got).hasSize(50);
    c.close().await();
  }

  @Test
  void aWaitingAutoAckConsumerGetsNewMessagesStraightInOrderWithoutMapWrites(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    var map = ((BrokerImpl) broker).hazelcast().getMap(HazelcastSupport.QUEUE_MAP_PREFIX + name);
    q.send(Buffer.buffer("before")).await(); // no consumer yet: kept in the map
    long writesBefore = mapWrites(map);
    assertThat(writesBefore).isPositive();

    List<Delivery> got = new CopyOnWriteArrayList<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(5).setAutoAck(true), got::add).await();
    await().until(() -> got.size() == 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // one at a time: the consumer always has room, so each goes straight over
      ids.add(q.send(Buffer.buffer("s" + i)).await());
      int expected = i + 2;
      await().until(() -> got.size() == expected);
    }
    assertThat(mapWrites(map)).isEqualTo(writesBefore);
    assertThat(got.subList(1, 21)).extracting(Delivery::messageId).containsExactlyElementsOf(ids);

    // A burst larger than the consumer's window: some go straight over, the rest through the map; one order.
    ids.addAll(sendAll(q, 2000));
    await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2021);
    assertThat(got.subList(1, 2021)).extracting(Delivery::messageId).containsExactlyElementsOf(ids);
    assertThat(got).allMatch(d -> d.deliveryCount() == 1 && d.leaseId() == null);
    assertThat(q.stats().await().depth()).isZero();
    assertThat(map.size()).isZero();
    c.close().await();
  }

  @Test
  void aBurstOfLargeMessagesHandedStraightOverKeepsItsOrder(TestInfo info) {
    Queue q = broker.queue(unique(info));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    QueueConsumer c = q.consumer(new ConsumerOptions().setPrefetch(10_000).setAutoAck(true), got::add).await();
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < 500; i++) { // 500 KiB in a burst: more than one 64 KiB delivery batch
      byte[] payload = new byte[1024];
      java.util.Arrays.fill(payload, (byte) ('a' + i % 26));
      sends.add(q.send(Buffer.buffer(payload)));
    }
    Future.all(sends).await();
    await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 500);
    assertThat(got).extracting(Delivery::messageId).containsExactlyElementsOf(sends.stream().map(Future::result)
      .toList());
    assertThat(got.get(499).payload().getByte(0)).isEqualTo((byte) ('a' + 499 % 26));
    c.close().await();
  }

  @Test
  void withAManualAckConsumerNewMessagesGoThroughTheMap(TestInfo info) {
    String name = unique(info);
    Queue q = broker.queue(name);
    var map = ((BrokerImpl) broker).hazelcast().getMap(HazelcastSupport.QUEUE_MAP_PREFIX + name);
    List<Delivery> auto = new CopyOnWriteArrayList<>();
    List<Delivery> manual = new CopyOnWriteArrayList<>();
    QueueConsumer a = q.consumer(new ConsumerOptions().setPrefetch(100).setAutoAck(true), auto::add).await();
    QueueConsumer m = q.consumer(new ConsumerOptions().setPrefetch(100), manual::add).await();
    sendAll(q, 10);
    await().until(() -> auto.size() + manual.size() == 10);
    assertThat(mapWrites(map)).isPositive();
    assertThat(manual).isNotEmpty().allMatch(d -> d.leaseId() != null);
    manual.forEach(d -> d.ack().await());
    a.close().await();
    m.close().await();
  }

  private static long mapWrites(com.hazelcast.map.IMap<?, ?> map) {
    var stats = map.getLocalMapStats();
    return stats.getPutOperationCount() + stats.getSetOperationCount();
  }

  @Test
  void anAutoAckedDeliveryHasNoLeaseToSettle(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.send(Buffer.buffer("x")).await();
    Delivery d = q.receiveAutoAck(1, Duration.ofSeconds(5)).await().get(0);

    d.ack().await(); // a no-op: it is gone already
    assertThat(QueueTest.awaitFailure(d.nack(Duration.ZERO))).isInstanceOf(InvalidRequestException.class)
      .hasMessageContaining("auto-acked");
    assertThat(QueueTest.awaitFailure(d.reject())).isInstanceOf(InvalidRequestException.class);
    assertThat(QueueTest.awaitFailure(d.extend(Duration.ofSeconds(1)))).isInstanceOf(InvalidRequestException.class);
    assertThat(q.stats().await().depth()).isZero();
  }

  @Test
  void pullAutoAckRemovesWhatItReturns(TestInfo info) {
    Queue q = broker.queue(unique(info));
    q.configure(new QueueOptions().setVisibilityTimeout(Duration.ofSeconds(5))).await();
    List<String> ids = sendAll(q, 7);

    List<Delivery> first = q.receiveAutoAck(5, Duration.ZERO).await();
    assertThat(first).extracting(Delivery::messageId).containsExactlyElementsOf(ids.subList(0, 5));
    assertThat(q.stats().await().ready()).isEqualTo(2);
    assertThat(q.stats().await().inFlight()).isZero();

    clock.advance(Duration.ofMinutes(1));
    List<Delivery> rest = q.receive(10, Duration.ofSeconds(5), null).await();
    assertThat(rest).extracting(Delivery::messageId).containsExactlyElementsOf(ids.subList(5, 7));
    rest.forEach(d -> d.ack().await());

    // A long-poll is served when a message arrives.
    Future<List<Delivery>> waiting = q.receiveAutoAck(3, Duration.ofSeconds(30));
    String late = q.send(Buffer.buffer("late")).await();
    assertThat(waiting.await()).extracting(Delivery::messageId).containsExactly(late);
    assertThat(q.stats().await().depth()).isZero();
  }

  @Test
  void competingAutoAckConsumersGetEachMessageOnce(TestInfo info) {
    Queue q = broker.queue(unique(info));
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<QueueConsumer> consumers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      consumers.add(q.consumer(new ConsumerOptions().setPrefetch(20).setAutoAck(true),
        d -> seen.merge(d.messageId(), 1, Integer::sum)).await());
    }
    List<String> ids = sendAll(q, 3_000);

    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 3_000);
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(seen.values()).allMatch(n -> n == 1);
    assertThat(q.stats().await().depth()).isZero();
    consumers.forEach(c -> c.close().await());
  }

  @Test
  void prefetchBoundsWhatIsOnItsWayToAStuckHandler(TestInfo info) throws Exception {
    Queue q = broker.queue(unique(info));
    sendAll(q, 30);
    CountDownLatch release = new CountDownLatch(1);
    List<Delivery> got = new CopyOnWriteArrayList<>();
    // The handler runs on a worker and blocks there on its first delivery, so it hands back no credit.
    String deployment = vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return q.consumer(new ConsumerOptions().setPrefetch(8).setAutoAck(true), d -> {
          got.add(d);
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();

    try {
      await().until(() -> got.size() == 1);
      // Eight were taken out for the consumer; the rest wait in the queue while the handler is stuck.
      await().until(() -> q.stats().await().ready() <= 22);
      assertThat(q.stats().await().ready()).isEqualTo(22);
    } finally {
      release.countDown();
    }
    await().until(() -> got.size() == 30);
    assertThat(q.stats().await().depth()).isZero();
    vertx.undeploy(deployment).await();
  }

  @Test
  void consumerOptionsJson() {
    ConsumerOptions o = new ConsumerOptions(new JsonObject().put("prefetch", 5).put("autoAck", true));
    assertThat(o.isAutoAck()).isTrue();
    assertThat(o.toJson().getBoolean("autoAck")).isTrue();
    assertThat(new ConsumerOptions().isAutoAck()).isFalse();
    assertThatThrownBy(() -> new ConsumerOptions(new JsonObject().put("autoAck", "yes")))
      .isInstanceOf(InvalidRequestException.class).hasMessageContaining("autoAck");
  }
}
