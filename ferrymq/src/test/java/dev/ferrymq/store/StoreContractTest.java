package dev.ferrymq.store;

import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link MessageStore} must do; subclasses open a real store. Names are unique per test. A third-party
 * store reuses it from the {@code dev.ferrymq:ferrymq:tests} jar: extend it and implement {@link #open}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class StoreContractTest {

  protected Vertx vertx;
  protected MessageStore store;

  /** @return a fresh store of the kind under test */
  protected abstract MessageStore open(Vertx vertx) throws Exception;

  @BeforeAll
  public void start() throws Exception {
    vertx = Vertx.vertx();
    store = open(vertx);
  }

  @AfterAll
  public void stop() throws Exception {
    if (store != null) {
      get(store.close());
    }
    if (vertx != null) {
      get(vertx.close());
    }
  }

  protected static <T> T get(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(StoredMessage m) {
    return new String(m.envelope(), StandardCharsets.UTF_8);
  }

  @Test
  public void readsAQueueAPageAtATimeCountsWhatIsBeyondAndDeletesRanges() throws Exception {
    String q = unique("q");
    String other = unique("q");
    List<StoredMessage> rows = new ArrayList<>();
    for (long seq = 1; seq <= 30; seq++) {
      if (seq % 10 != 0) { // gaps, as acks leave them
        rows.add(new StoredMessage(seq, bytes("m" + seq), (int) (seq % 3), seq * 100));
      }
    }
    get(store.insertQueueMessages(q, rows));
    get(store.insertQueueMessages(other, List.of(StoredMessage.of(15, bytes("other")))));

    List<StoredMessage> page = get(store.loadQueue(q, 5, 7));
    assertThat(page).extracting(StoredMessage::seq).containsExactly(6L, 7L, 8L, 9L, 11L, 12L, 13L);
    assertThat(page.get(0).deliveryCount()).isEqualTo(0);
    assertThat(page.get(1).deliveryCount()).isEqualTo(1);
    assertThat(page.get(1).dueAt()).isEqualTo(700);
    assertThat(text(page.get(4))).isEqualTo("m11");
    assertThat(get(store.loadQueue(q, 28, 100))).extracting(StoredMessage::seq).containsExactly(29L);
    assertThat(get(store.loadQueue(q, 29, 100))).isEmpty();
    assertThat(get(store.loadQueue(q, 30, 100))).isEmpty();

    var extent = get(store.queueExtent(q, 20));
    assertThat(extent.messages()).isEqualTo(9);
    assertThat(extent.bytes()).isEqualTo(9 * 3); // "m21".."m29"
    assertThat(extent.lastSeq()).isEqualTo(29);
    assertThat(get(store.queueExtent(q, 29)).messages()).isZero();
    assertThat(get(store.queueExtent(unique("none"), 0)).lastSeq()).isZero();

    get(store.deleteQueueRange(q, 12, 25));
    assertThat(get(store.loadQueue(q))).extracting(StoredMessage::seq)
      .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 11L, 26L, 27L, 28L, 29L);
    assertThat(get(store.loadQueue(other))).extracting(StoredMessage::seq).containsExactly(15L);
  }

  @Test
  public void deletesExactlyTheGivenSeqsInRunsAndGaps() throws Exception {
    String q = unique("q");
    List<StoredMessage> rows = new java.util.ArrayList<>();
    for (long seq : new long[] {1, 2, 3, 4, 5, 6, 10, 11}) {
      rows.add(StoredMessage.of(seq, bytes("m" + seq)));
    }
    get(store.insertQueueMessages(q, rows));
    // Unsorted, with a duplicate, runs (2–4) and single seqs between kept ones.
    get(store.deleteQueueMessages(q, new long[] {6, 3, 2, 11, 4, 3, 8}));
    assertThat(get(store.loadQueue(q))).extracting(StoredMessage::seq).containsExactly(1L, 5L, 10L);
  }

  @Test
  public void queueRoundTrip() throws Exception {
    String q = unique("q");
    get(store.insertQueueMessages(q, List.of(StoredMessage.of(1, bytes("a")), StoredMessage.of(2, bytes("b")),
      new StoredMessage(3, bytes("c"), 2, 1234))));
    get(store.deleteQueueMessages(q, new long[] {2, 99}));
    get(store.updateQueueMessage(q, 1, 3, 5000));

    List<StoredMessage> loaded = get(store.loadQueue(q));
    assertThat(loaded).extracting(StoredMessage::seq).containsExactly(1L, 3L);
    assertThat(loaded).extracting(StoreContractTest::text).containsExactly("a", "c");
    assertThat(loaded.get(0).deliveryCount()).isEqualTo(3);
    assertThat(loaded.get(0).dueAt()).isEqualTo(5000);
    assertThat(loaded.get(1).deliveryCount()).isEqualTo(2);
    assertThat(loaded.get(1).dueAt()).isEqualTo(1234);
    assertThat(get(store.loadQueue(unique("empty")))).isEmpty();
  }

  @Test
  public void insertOfAnExistingSeqOverwritesIt() throws Exception {
    String q = unique("q");
    get(store.insertQueueMessages(q, List.of(StoredMessage.of(7, bytes("first")))));
    get(store.insertQueueMessages(q, List.of(StoredMessage.of(7, bytes("again")))));
    assertThat(get(store.loadQueue(q))).extracting(StoreContractTest::text).containsExactly("again");
  }

  @Test
  public void topicHistoryLastSeqAndTrim() throws Exception {
    String t = unique("t");
    assertThat(get(store.lastTopicSeq(t))).isZero();
    List<StoredMessage> batch = new ArrayList<>();
    for (long seq = 1; seq <= 10; seq++) {
      batch.add(StoredMessage.of(seq, bytes("m" + seq)));
    }
    get(store.insertTopicMessages(t, batch));
    assertThat(get(store.loadTopic(t, 3))).extracting(StoredMessage::seq).containsExactly(8L, 9L, 10L);
    assertThat(get(store.lastTopicSeq(t))).isEqualTo(10);

    get(store.trimTopic(t, 6));
    assertThat(get(store.loadTopic(t, 100))).extracting(StoredMessage::seq).containsExactly(6L, 7L, 8L, 9L, 10L);
    get(store.trimTopic(t, 11));
    assertThat(get(store.loadTopic(t, 100))).isEmpty();
    assertThat(get(store.lastTopicSeq(t))).as("the last seq outlives a trim of everything").isEqualTo(10);

    get(store.insertTopicMessages(t, List.of(StoredMessage.of(11, bytes("m11")))));
    assertThat(get(store.lastTopicSeq(t))).isEqualTo(11);
    assertThat(get(store.loadTopic(t, 100))).extracting(StoreContractTest::text).containsExactly("m11");
  }

  @Test
  public void optionsAndDelete() throws Exception {
    String q = unique("q");
    String t = unique("t");
    get(store.saveOptions(MessageStore.Kind.QUEUE, q, "{\"maxDeliveries\":3}"));
    get(store.saveOptions(MessageStore.Kind.QUEUE, q, "{\"maxDeliveries\":4}"));
    get(store.saveOptions(MessageStore.Kind.TOPIC, t, "{\"capacity\":10}"));
    get(store.insertQueueMessages(q, List.of(StoredMessage.of(1, bytes("x")))));
    get(store.insertTopicMessages(t, List.of(StoredMessage.of(5, bytes("y")))));

    Map<String, String> queues = get(store.loadOptions(MessageStore.Kind.QUEUE));
    assertThat(queues).containsEntry(q, "{\"maxDeliveries\":4}").doesNotContainKey(t);
    assertThat(get(store.loadOptions(MessageStore.Kind.TOPIC))).containsEntry(t, "{\"capacity\":10}");

    get(store.delete(MessageStore.Kind.QUEUE, q));
    get(store.delete(MessageStore.Kind.TOPIC, t));
    assertThat(get(store.loadOptions(MessageStore.Kind.QUEUE))).doesNotContainKey(q);
    assertThat(get(store.loadOptions(MessageStore.Kind.TOPIC))).doesNotContainKey(t);
    assertThat(get(store.loadQueue(q))).isEmpty();
    assertThat(get(store.loadTopic(t, 10))).isEmpty();
    assertThat(get(store.lastTopicSeq(t))).isZero();
  }

  /** A new owner's snapshot replaces everything the journal had of the queue, and records its epoch. */
  @Test
  public void queueSnapshotReplacesAllAndRecordsTheEpoch() throws Exception {
    String q = unique("q");
    String other = unique("q");
    assertThat(get(store.epoch(MessageStore.Kind.QUEUE, q))).isZero();
    get(store.insertQueueMessages(q, List.of(StoredMessage.of(1, bytes("stale")), StoredMessage.of(2, bytes("b")))));
    get(store.insertQueueMessages(other, List.of(StoredMessage.of(1, bytes("kept")))));
    get(store.replaceQueue(q, 7, List.of(new StoredMessage(2, bytes("b"), 1, 0), StoredMessage.of(3, bytes("c")))));
    assertThat(get(store.loadQueue(q))).extracting(StoreContractTest::text).containsExactly("b", "c");
    assertThat(get(store.loadQueue(q)).get(0).deliveryCount()).isEqualTo(1);
    assertThat(get(store.epoch(MessageStore.Kind.QUEUE, q))).isEqualTo(7);
    assertThat(get(store.epoch(MessageStore.Kind.TOPIC, q))).as("epochs are per kind").isZero();
    assertThat(get(store.loadQueue(other))).extracting(StoreContractTest::text).containsExactly("kept");

    get(store.replaceQueue(q, 8, List.of()));
    assertThat(get(store.loadQueue(q))).isEmpty();
    assertThat(get(store.epoch(MessageStore.Kind.QUEUE, q))).isEqualTo(8);
    get(store.delete(MessageStore.Kind.QUEUE, q));
    assertThat(get(store.epoch(MessageStore.Kind.QUEUE, q))).as("deleted with the queue").isZero();
  }

  @Test
  public void topicSnapshotReplacesHistoryKeepsLastSeqAndRecordsTheEpoch() throws Exception {
    String t = unique("t");
    get(store.insertTopicMessages(t, List.of(StoredMessage.of(1, bytes("old")), StoredMessage.of(2, bytes("m2")))));
    get(store.replaceTopic(t, 3, 12, List.of(StoredMessage.of(11, bytes("m11")), StoredMessage.of(12, bytes("m12")))));
    assertThat(get(store.loadTopic(t, 100))).extracting(StoreContractTest::text).containsExactly("m11", "m12");
    assertThat(get(store.lastTopicSeq(t))).isEqualTo(12);
    assertThat(get(store.epoch(MessageStore.Kind.TOPIC, t))).isEqualTo(3);

    get(store.replaceTopic(t, 4, 20, List.of()));
    assertThat(get(store.loadTopic(t, 100))).isEmpty();
    assertThat(get(store.lastTopicSeq(t))).as("the last seq of an empty history").isEqualTo(20);
    assertThat(get(store.epoch(MessageStore.Kind.TOPIC, t))).isEqualTo(4);
  }

  @Test
  public void nodeRecords() throws Exception {
    String key = unique("members");
    get(store.saveOptions(MessageStore.Kind.NODE, key, "3"));
    assertThat(get(store.loadOptions(MessageStore.Kind.NODE))).containsEntry(key, "3");
    assertThat(get(store.loadOptions(MessageStore.Kind.QUEUE))).doesNotContainKey(key);
    get(store.delete(MessageStore.Kind.NODE, key));
    assertThat(get(store.loadOptions(MessageStore.Kind.NODE))).doesNotContainKey(key);
  }

  /** Several owners on their own contexts write at once: every write confirmed once, on its context, and stored. */
  @Test
  public void concurrentWritersShareCommits() throws Exception {
    int owners = 8;
    int writesPerOwner = 150;
    int rowsPerWrite = 5;
    String prefix = unique("g");
    AtomicIntegerArray completions = new AtomicIntegerArray(owners * writesPerOwner);
    AtomicInteger wrongContext = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    for (int o = 0; o < owners; o++) {
      int owner = o;
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> {
        for (int w = 0; w < writesPerOwner; w++) {
          int write = owner * writesPerOwner + w;
          List<StoredMessage> rows = new ArrayList<>();
          for (int r = 0; r < rowsPerWrite; r++) {
            rows.add(StoredMessage.of((long) w * rowsPerWrite + r, bytes("o" + owner + "w" + w + "r" + r)));
          }
          store.insertQueueMessages(prefix + "-" + owner, rows).onComplete(ar -> {
            if (Vertx.currentContext() != context) {
              wrongContext.incrementAndGet();
            }
            if (ar.failed()) {
              failures.incrementAndGet();
            }
            completions.incrementAndGet(write);
          });
        }
      });
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> total(completions) >= owners * writesPerOwner);
    for (int i = 0; i < completions.length(); i++) {
      assertThat(completions.get(i)).as("completions of write %d", i).isEqualTo(1);
    }
    assertThat(failures.get()).isZero();
    assertThat(wrongContext.get()).isZero();
    for (int o = 0; o < owners; o++) {
      List<StoredMessage> loaded = get(store.loadQueue(prefix + "-" + o));
      assertThat(loaded).hasSize(writesPerOwner * rowsPerWrite);
      assertThat(loaded).extracting(StoredMessage::seq).isSorted().doesNotHaveDuplicates();
    }
  }

  /** Plain threads (no Vert.x context) write at once. */
  @Test
  public void concurrentThreads() throws Exception {
    String q = unique("threads");
    int threads = 4;
    int writes = 100;
    List<Thread> started = new ArrayList<>();
    List<Future<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      long base = t * 1_000_000L;
      Thread thread = new Thread(() -> {
        for (int w = 0; w < writes; w++) {
          futures.add(store.insertQueueMessages(q, List.of(StoredMessage.of(base + w, bytes("x")))));
        }
      });
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      thread.join(60_000);
    }
    get(Future.all(new ArrayList<>(futures)));
    assertThat(get(store.loadQueue(q))).hasSize(threads * writes);
  }

  private static int total(AtomicIntegerArray a) {
    int n = 0;
    for (int i = 0; i < a.length(); i++) {
      n += a.get(i);
    }
    return n;
  }

  @Test
  public void writesInOrderOfSubmission() throws Exception {
    String q = unique("q");
    Context context = vertx.getOrCreateContext();
    Future<Void> last = Future.<Future<Void>>future(p -> context.runOnContext(v -> {
      store.insertQueueMessages(q, List.of(StoredMessage.of(1, bytes("a"))));
      store.deleteQueueMessages(q, new long[] {1});
      store.insertQueueMessages(q, List.of(StoredMessage.of(2, bytes("b"))));
      p.complete(store.updateQueueMessage(q, 2, 1, 0));
    })).compose(f -> f);
    get(last);
    assertThat(get(store.loadQueue(q))).extracting(StoredMessage::seq).containsExactly(2L);
  }

  @Test
  public void missingArgumentsAreFailedFutures() {
    assertThatThrownBy(() -> get(store.insertQueueMessages(null, List.of()))).isInstanceOf(
      IllegalArgumentException.class);
    assertThatThrownBy(() -> get(store.saveOptions(MessageStore.Kind.QUEUE, "q", null))).isInstanceOf(
      IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredMessage.of(1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  public void closedStoreRefusesWrites() throws Exception {
    MessageStore other = open(vertx);
    String q = unique("q");
    Future<Void> before = other.insertQueueMessages(q, List.of(StoredMessage.of(1, bytes("a"))));
    get(other.close());
    assertThat(before.succeeded()).as("writes queued before close are committed").isTrue();
    assertThatThrownBy(() -> get(other.insertQueueMessages(q, List.of(StoredMessage.of(2, bytes("b"))))))
      .isInstanceOf(UnavailableException.class);
    assertThat(get(store.loadQueue(q))).extracting(StoredMessage::seq).containsExactly(1L);
  }
}
