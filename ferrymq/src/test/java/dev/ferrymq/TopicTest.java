package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class TopicTest extends BrokerTestBase {

  private static List<Long> publishAll(Topic t, String prefix, int n) {
    List<Future<Long>> pubs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pubs.add(t.publish(Buffer.buffer(prefix + i)));
    }
    Future.all(pubs).await();
    List<Long> seqs = new ArrayList<>();
    pubs.forEach(f -> seqs.add(f.result()));
    return seqs;
  }

  @Test
  void sequenceStartsAtOneAndIncreasesByOne(TestInfo info) {
    Topic t = broker.topic(unique(info));
    assertThat(publishAll(t, "m", 100)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    assertThat(t.stats().await().lastSeq()).isEqualTo(100);
  }

  @Test
  void subscribersSeeOneOrderWhileFourPublishersPublish(TestInfo info) {
    Topic t = broker.topic(unique(info));
    List<List<TopicMessage>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
      new CopyOnWriteArrayList<>());
    List<Subscription> subs = new ArrayList<>();
    for (List<TopicMessage> s : seen) {
      subs.add(t.subscribe(Position.LATEST, s::add).await());
    }
    int perPublisher = 500;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<CompletableFuture<?>> publishers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      String prefix = "p" + p + "-";
      publishers.add(CompletableFuture.runAsync(() -> publishAll(t, prefix, perPublisher), pool));
    }
    CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).join();
    pool.shutdown();

    await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(s -> s.size() == 4 * perPublisher));
    List<String> reference = seen.get(0).stream().map(m -> m.payload().toString()).toList();
    for (List<TopicMessage> s : seen) {
      assertThat(s).extracting(TopicMessage::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 4 * perPublisher).boxed().toList());
      assertThat(s.stream().map(m -> m.payload().toString()).toList()).isEqualTo(reference);
    }
    subs.forEach(s -> s.close().await());
  }

  @Test
  void subscribersOnSeveralEventLoopsAndAWorkerEachGetEveryMessageOnTheirOwnThread(TestInfo info) {
    Topic t = broker.topic(unique(info));
    int loops = 6;
    List<List<Long>> seen = new ArrayList<>();
    List<Set<Thread>> threads = new ArrayList<>();
    List<Thread> subscribedOn = new CopyOnWriteArrayList<>();
    List<Subscription> subs = new CopyOnWriteArrayList<>();
    for (int i = 0; i <= loops; i++) {
      seen.add(new CopyOnWriteArrayList<>());
      threads.add(ConcurrentHashMap.newKeySet());
    }
    for (int i = 0; i < loops; i++) {
      int k = i;
      vertx.deployVerticle(new VerticleBase() { // event-loop verticles are spread over the event loops
        @Override
        public Future<?> start() {
          subscribedOn.add(Thread.currentThread());
          return t.subscribe(Position.LATEST, m -> {
            threads.get(k).add(Thread.currentThread());
            seen.get(k).add(m.seq());
          }).onSuccess(subs::add);
        }
      }).await();
    }
    List<Subscription> worker = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return t.subscribe(Position.LATEST, m -> {
          assertThat(Context.isOnWorkerThread()).isTrue();
          seen.get(loops).add(m.seq());
        }).onSuccess(worker::add);
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();

    publishAll(t, "m", 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(s -> s.size() == 200));
    for (int i = 0; i <= loops; i++) {
      assertThat(seen.get(i)).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    }
    for (int i = 0; i < loops; i++) {
      assertThat(threads.get(i)).containsExactly(subscribedOn.get(i));
    }
    assertThat(Set.copyOf(subscribedOn)).hasSizeGreaterThan(1);

    for (int i = 0; i < loops; i += 2) {
      subs.get(i).close().await();
    }
    publishAll(t, "n", 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.get(1).size() == 210 && seen.get(loops).size() == 210);
    for (int i = 0; i < loops; i++) {
      assertThat(seen.get(i)).hasSize(i % 2 == 0 ? 200 : 210);
    }
    for (int i = 1; i < loops; i += 2) {
      subs.get(i).close().await();
    }
    worker.get(0).close().await();
  }

  @Test
  void resumeFromSequenceGetsExactlyWhatFollows(TestInfo info) {
    Topic t = broker.topic(unique(info));
    publishAll(t, "old", 50);
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    Subscription s = t.subscribe(Position.after(20), got::add).await();
    publishAll(t, "new", 10);

    await().until(() -> got.size() == 40);
    assertThat(got).extracting(TopicMessage::seq).containsExactlyElementsOf(LongStream.rangeClosed(21, 60).boxed().toList());
    assertThat(got.get(0).payload().toString()).isEqualTo("old20");
    assertThat(got.get(39).payload().toString()).isEqualTo("new9");
    assertThat(s.lastSeq()).isEqualTo(60);
    s.close().await();
  }

  @Test
  void earliestAndLatest(TestInfo info) {
    Topic t = broker.topic(unique(info));
    publishAll(t, "a", 5);
    List<TopicMessage> all = new CopyOnWriteArrayList<>();
    List<TopicMessage> fresh = new CopyOnWriteArrayList<>();
    Subscription s1 = t.subscribe(Position.EARLIEST, all::add).await();
    Subscription s2 = t.subscribe(Position.LATEST, fresh::add).await();
    publishAll(t, "b", 3);
    await().until(() -> all.size() == 8 && fresh.size() == 3);
    assertThat(fresh).extracting(TopicMessage::seq).containsExactly(6L, 7L, 8L);
    s1.close().await();
    s2.close().await();
  }

  @Test
  void gapIsSignalledWhenHistoryNoLongerReaches(TestInfo info) {
    Topic t = broker.topic(unique(info));
    t.configure(new TopicOptions().setCapacity(10)).await();
    publishAll(t, "m", 30);
    List<Gap> gaps = new CopyOnWriteArrayList<>();
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    Subscription s = t.subscribe(Position.after(5), m -> {
      if (got.isEmpty()) {
        assertThat(gaps).hasSize(1); // the gap comes first
      }
      got.add(m);
    }, gaps::add).await();

    await().until(() -> got.size() == 10);
    assertThat(gaps).containsExactly(new Gap(6, 21));
    assertThat(got).extracting(TopicMessage::seq).containsExactlyElementsOf(LongStream.rangeClosed(21, 30).boxed().toList());
    assertThat(t.stats().await().oldestSeq()).isEqualTo(21);
    s.close().await();
  }

  @Test
  void capacityIsFixedAtCreation(TestInfo info) {
    Topic t = broker.topic(unique(info));
    t.publish(Buffer.buffer("x")).await();
    Throwable e = QueueTest.awaitFailure(t.configure(new TopicOptions().setCapacity(5)));
    assertThat(e).isInstanceOf(ConflictException.class);
    t.configure(new TopicOptions().setDurability(Durability.MEMORY)).await();
  }

  @Test
  void historyAndMetadata(TestInfo info) {
    Topic t = broker.topic(unique(info));
    t.publish(Buffer.buffer("{\"a\":1}"), "application/json", Map.of("h", "1")).await();
    t.publish(Buffer.buffer(new byte[] {(byte) 0xc3, 0x28})).await();
    List<TopicMessage> h = t.history(Position.EARLIEST, 10).await();
    assertThat(h).extracting(TopicMessage::seq).containsExactly(1L, 2L);
    assertThat(h.get(0).contentType()).isEqualTo("application/json");
    assertThat(h.get(0).headers()).containsEntry("h", "1");
    assertThat(h.get(0).toJson().getString("data")).isEqualTo("{\"a\":1}");
    assertThat(h.get(1).toJson().getString("encoding")).isEqualTo("base64");
    assertThat(t.history(Position.after(1), 10).await()).extracting(TopicMessage::seq).containsExactly(2L);
    assertThat(t.history(Position.LATEST, 10).await()).isEmpty();
    assertThat(broker.topics().await()).contains(t.name());
  }

  @Test
  void badInput(TestInfo info) {
    assertThat(QueueTest.awaitFailure(broker.topic("a/b").publish(Buffer.buffer("x"))))
      .isInstanceOf(InvalidNameException.class);
    assertThat(QueueTest.awaitFailure(broker.topic(unique(info)).publish(null)))
      .isInstanceOf(InvalidRequestException.class);
    assertThat(QueueTest.awaitFailure(broker.topic(unique(info)).history(Position.EARLIEST, 0)))
      .isInstanceOf(InvalidRequestException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Position.parse("soon"))
      .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void readsNeverCreateATopic(TestInfo info) {
    String name = unique(info);
    Topic t = broker.topic(name);
    Throwable notFound = QueueTest.awaitFailure(t.stats());
    assertThat(notFound).isInstanceOf(NotFoundException.class).hasMessage("topic '" + name + "' does not exist");
    assertThat(QueueTest.awaitFailure(t.history(Position.EARLIEST, 10))).isInstanceOf(NotFoundException.class);
    assertThat(broker.topics().await()).doesNotContain(name);

    assertThat(t.publish(Buffer.buffer("x")).await()).isEqualTo(1);
    assertThat(t.stats().await().lastSeq()).isEqualTo(1);
    assertThat(t.history(Position.EARLIEST, 10).await()).hasSize(1);
    assertThat(broker.topics().await()).contains(name);
  }

  @Test
  void subscribingCreatesATopic(TestInfo info) {
    String name = unique(info);
    Subscription s = broker.topic(name).subscribe(Position.LATEST, m -> { }).await();
    try {
      assertThat(broker.topics().await()).contains(name);
      assertThat(broker.topic(name).stats().await().lastSeq()).isZero();
    } finally {
      s.close().await();
    }
  }

  @Test
  void deleteRemovesHistoryAndOptionsAndSubscriptionsFollowTheNextTopicOfThatName(TestInfo info) {
    String name = unique(info);
    Topic t = broker.topic(name);
    t.configure(new TopicOptions().setCapacity(5)).await();
    List<TopicMessage> got = new CopyOnWriteArrayList<>();
    List<Gap> gaps = new CopyOnWriteArrayList<>();
    Subscription sub = t.subscribe(Position.EARLIEST, got::add, gaps::add).await();
    try {
      t.publish(Buffer.buffer("a")).await();
      t.publish(Buffer.buffer("b")).await();
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);

      t.delete().await();
      assertThat(broker.topics().await()).doesNotContain(name);
      assertThat(QueueTest.awaitFailure(t.stats())).isInstanceOf(NotFoundException.class);
      assertThat(QueueTest.awaitFailure(t.history(Position.EARLIEST, 10))).isInstanceOf(NotFoundException.class);
      assertThat(QueueTest.awaitFailure(t.delete())).isInstanceOf(NotFoundException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> gaps.size() == 1);
      assertThat(gaps.get(0)).isEqualTo(new Gap(3, 1));

      // Created again by a publish: numbering from 1, nothing of the old history, the capacity it had.
      assertThat(t.publish(Buffer.buffer("c")).await()).isEqualTo(1);
      assertThat(t.history(Position.EARLIEST, 10).await()).extracting(m -> m.payload().toString()).containsExactly("c");
      assertThat(t.stats().await().options().getCapacity()).isEqualTo(5);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
      assertThat(got.get(2).seq()).isEqualTo(1);
      assertThat(got.get(2).payload().toString()).isEqualTo("c");

      // Capacity and TTL stay with the name until the cluster restarts; the rest may change.
      t.delete().await();
      assertThat(QueueTest.awaitFailure(t.configure(new TopicOptions().setCapacity(7))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("before it was deleted");
      t.configure(new TopicOptions().setCapacity(5).setDurability(Durability.MEMORY)).await();
      assertThat(t.stats().await().options().getDurability()).isEqualTo(Durability.MEMORY);
    } finally {
      sub.close().await();
    }
  }

  @Test
  void listingPagesWithStats(TestInfo info) {
    String p = unique(info);
    broker.topic(p + "-a").publish(Buffer.buffer("x")).await();
    broker.topic(p + "-b").configure(new TopicOptions().setCapacity(4)).await();
    Page<TopicStats> page = broker.topics(p, 1).await();
    assertThat(page.items()).extracting(TopicStats::topic, TopicStats::lastSeq).containsExactly(
      org.assertj.core.groups.Tuple.tuple(p + "-a", 1L));
    assertThat(page.next()).isEqualTo(p + "-a");
    Page<TopicStats> next = broker.topics(page.next(), 1).await();
    assertThat(next.items().get(0).options().getCapacity()).isEqualTo(4);
    assertThat(QueueTest.awaitFailure(broker.topics(null, 0))).isInstanceOf(InvalidRequestException.class);
  }
}
