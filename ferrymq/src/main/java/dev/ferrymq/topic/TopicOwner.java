package dev.ferrymq.topic;

import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.ferrymq.Durability;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.ClusterProtection;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Journals;
import dev.ferrymq.cluster.NextEpoch;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.OwnerVerticle;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Envelope;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.metrics.TopicMeters;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one topic: appends publishes to the topic's replicated ringbuffer in batches (one batch in
 * flight) and, unless the topic is memory-only, to the store; answers each publisher with its sequence number, then
 * sends the batch once to every node's fan-out. A message's sequence number is {@code base + ringSeq + 1}, where
 * {@code base} is zero until a full restart refills the ringbuffer from the store.
 */
public final class TopicOwner extends OwnerVerticle {

  private static final Logger LOG = LoggerFactory.getLogger(TopicOwner.class);
  private static final int RING_BATCH = 1000;
  private static final long TRIM_PERIOD_MS = 5000;
  /** When a new owner journals the previous owner's appends that landed after its snapshot. */
  private static final long[] JOURNAL_LATE_APPENDS_AFTER_MS = {2_000, 10_000};

  private final Node node;
  private final String name;
  private TopicOptions options;
  private Ringbuffer<byte[]> ring;
  private long base;
  private long lastSeq;
  private long trimmedTo;
  private long trimmer;
  /** The epoch of the journal a full restart recovered this topic from (the node's own journals), else 0. */
  private long recoveredEpoch;
  private List<Message<Object>> pending = new ArrayList<>();
  private boolean writing;
  /** The delete request being carried out; every other call is answered "moved" meanwhile. */
  private Message<Object> deleting;
  /** Whether an earlier owner had numbered this topic in the cluster (its base was set): a take-over. */
  private boolean takenOver;
  /** This topic's meters, or {@code null} when the node reports none. */
  private TopicMeters meters;

  /** @param node the node @param name the topic */
  public TopicOwner(Node node, String name) {
    this.node = node;
    this.name = name;
  }

  @Override
  public Future<?> start() {
    // A topic created again after a delete keeps the capacity and TTL its ringbuffer was configured with.
    return vertx.executeBlocking(() -> fixedByRing(node, name))
      .compose(fixed -> TopicImpl.createMeta(node, name, fixed != null ? fixed : new TopicOptions()))
      .compose(opts -> vertx.executeBlocking(() -> {
        options = opts;
        configureRing(node, name, opts);
        ring = node.hazelcast().getRingbuffer(TopicImpl.ringName(name));
        return ring.tailSequence();
      }))
      .compose(tail -> {
        IMap<String, Long> bases = node.hazelcast().getMap(HazelcastSupport.TOPIC_BASES);
        return Future.fromCompletionStage(bases.getAsync(name), context)
          .compose(known -> {
            takenOver = known != null;
            return known != null ? Future.succeededFuture(known) : firstBase(tail);
          })
          .compose(b -> HazelcastSupport.putIfAbsent(bases, name, b))
          .compose(b -> vertx.executeBlocking(ring::tailSequence).map(refilledTail -> {
            base = b;
            lastSeq = b + refilledTail + 1;
            return null;
          }));
      })
      .compose(v -> stored() ? node.store().saveOptions(MessageStore.Kind.TOPIC, name, options.toJson().encode())
        : Future.succeededFuture())
      .compose(v -> snapshot())
      .compose(v -> {
        trimmer = vertx.setPeriodic(TRIM_PERIOD_MS, id -> trim());
        startMeters();
        return Future.succeededFuture();
      });
  }

  private void startMeters() {
    if (takenOver) {
      node.meters().takeover("topic");
    }
    meters = TopicMeters.register(node.meters(), name);
    if (meters != null) {
      meters.lastSeq(lastSeq);
      measureHistory();
    }
  }

  /** The history's size, for the meters: the ringbuffer has no async size, so it is asked on a worker. */
  private void measureHistory() {
    if (meters != null && meters.reported() && !isStopped()) {
      vertx.executeBlocking(ring::size, false).onSuccess(meters::historySize);
    }
  }

  /**
   * The first owner since the cluster started: after a full restart the ringbuffer is empty and the store has the
   * history; it goes back into the ringbuffer and numbering continues where it stopped.
   */
  private Future<Long> firstBase(long tail) {
    if (tail >= 0 || !stored()) {
      return Future.succeededFuture(0L);
    }
    MessageStore store = node.store();
    Future<Journals.Recovered> stored = node.journals() != null
      ? node.journals().recover(MessageStore.Kind.TOPIC, name, options.getCapacity())
      : Future.all(store.lastTopicSeq(name), store.loadTopic(name, options.getCapacity()))
      .map(all -> new Journals.Recovered(0, all.<Long>resultAt(0), all.<List<StoredMessage>>resultAt(1)));
    return stored.compose(recovered -> {
      recoveredEpoch = recovered.epoch();
      long last = recovered.lastSeq();
      List<StoredMessage> history = new ArrayList<>(recovered.messages());
      if (!options.getTtl().isZero()) {
        long oldest = node.options().getClock().millis() - options.getTtl().toMillis();
        history.removeIf(m -> Envelope.decode(m.envelope()).timestamp() < oldest);
      }
      history = numberedAsConfirmed(history, last);
      long first = history.isEmpty() ? last : history.get(0).seq() - 1;
      if (last > 0) {
        LOG.info("topic {}: reloaded {} messages of history from the store, last seq {}", name, history.size(), last);
      }
      return refill(history, 0).map(v -> first);
    });
  }

  /**
   * @return the part of {@code history} that can go back into the ringbuffer with the numbers it was confirmed with:
   *     a ringbuffer has no holes, so only the run of consecutive seqs that ends at {@code last}. What is older than
   *     a hole stays out (a subscriber asking for it is told of the gap): numbers are never given twice
   */
  static List<StoredMessage> numberedAsConfirmed(List<StoredMessage> history, long last) {
    int from = history.size();
    long expected = last;
    while (from > 0 && history.get(from - 1).seq() == expected) {
      from--;
      expected--;
    }
    if (from > 0) {
      LOG.warn("history of {} messages reloaded from seq {}: older ones are not consecutive ({} left out)",
        history.size() - from, expected + 1, from);
    }
    return history.subList(from, history.size());
  }

  private Future<Void> refill(List<StoredMessage> history, int from) {
    if (from >= history.size()) {
      return Future.succeededFuture();
    }
    List<byte[]> chunk = new ArrayList<>();
    for (int i = from; i < Math.min(history.size(), from + RING_BATCH); i++) {
      chunk.add(history.get(i).envelope());
    }
    return Future.fromCompletionStage(ring.addAllAsync(chunk, OverflowPolicy.OVERWRITE), context)
      .compose(v -> refill(history, from + RING_BATCH));
  }

  /**
   * A new owner's snapshot in this node's own journal (when its store is not shared): the history it took over and
   * the last seq, tagged with a new epoch, before it confirms anything new.
   */
  private Future<Void> snapshot() {
    if (!stored() || node.journals() == null) {
      return Future.succeededFuture();
    }
    IMap<String, Long> epochs = node.hazelcast().getMap(HazelcastSupport.EPOCHS);
    long tail = lastSeq - base - 1;
    return Future.fromCompletionStage(epochs.submitToKey("topic:" + name, new NextEpoch(recoveredEpoch)), context)
      .compose(epoch -> vertx.executeBlocking(ring::headSequence)
        .compose(head -> history(head, tail, new ArrayList<>()))
        .compose(history -> node.store().replaceTopic(name, epoch, lastSeq, history)))
      .onSuccess(v -> {
        for (long delay : JOURNAL_LATE_APPENDS_AFTER_MS) {
          vertx.setTimer(delay, id -> journalLateAppends(tail + 1));
        }
      });
  }

  /**
   * Adds to this node's journal what reached the ringbuffer from {@code from} on: the previous owner's appends that
   * landed after the snapshot read the tail (Hazelcast retries them onto the new partition owner), which this owner's
   * own rows would otherwise leave as holes. Rows already there are written again, unchanged.
   */
  private void journalLateAppends(long from) {
    if (isStopped()) {
      return;
    }
    vertx.executeBlocking(ring::tailSequence)
      .compose(tail -> history(from, tail, new ArrayList<>()))
      .compose(rows -> rows.isEmpty() ? Future.succeededFuture() : node.store().insertTopicMessages(name, rows))
      .onFailure(e -> LOG.warn("topic {}: late appends not journalled: {}", name, e.getMessage()));
  }

  private Future<List<StoredMessage>> history(long from, long tail, List<StoredMessage> out) {
    if (from > tail) {
      return Future.succeededFuture(out);
    }
    return Future.fromCompletionStage(ring.readManyAsync(from, 0, RING_BATCH, null), context).compose(read -> {
      for (int i = 0; i < read.readCount(); i++) {
        out.add(StoredMessage.of(base + read.getSequence(i) + 1, read.get(i)));
      }
      return read.readCount() == 0 ? Future.succeededFuture(out)
        : history(read.getNextSequenceToReadFrom(), tail, out);
    });
  }

  /**
   * @return the defaults with the capacity and TTL of the ringbuffer already configured for topic {@code name} on this
   *     member (by an earlier incarnation of the topic: a ringbuffer's configuration stays until the cluster
   *     restarts), or {@code null} when there is none; reads the member's config, call it off the event loop
   */
  static TopicOptions fixedByRing(Node node, String name) {
    RingbufferConfig config = node.hazelcast().getConfig().getRingbufferConfigs()
      .get(HazelcastSupport.TOPIC_RING_PREFIX + name);
    return config == null ? null : new TopicOptions().setCapacity(config.getCapacity())
      .setTtl(java.time.Duration.ofSeconds(config.getTimeToLiveSeconds()));
  }

  static void configureRing(Node node, String name, TopicOptions options) {
    String ringName = HazelcastSupport.TOPIC_RING_PREFIX + name; // the config's name: without the "@" partition key
    RingbufferConfig config = ClusterProtection.topicRing(node.hazelcast().getConfig(), ringName,
      options.getCapacity(), (int) options.getTtl().toSeconds());
    try {
      node.hazelcast().getConfig().addRingBufferConfig(config);
    } catch (RuntimeException e) {
      LOG.debug("ringbuffer of topic {} already configured: {}", name, e.toString());
    }
  }

  private boolean stored() {
    return node.store() != null && options.getDurability() != Durability.MEMORY;
  }

  @Override
  protected Future<?> onStop() {
    if (meters != null) {
      meters.close();
    }
    vertx.cancelTimer(trimmer);
    return Future.succeededFuture();
  }

  @Override
  protected void handle(Message<Object> msg) {
    String op = msg.headers().get("op");
    if (deleting != null) { // the callers retry, and reach a new owner once this one is gone
      msg.fail(Owners.MOVED, "topic " + name + " is being deleted");
      return;
    }
    switch (op == null ? "" : op) {
      case "publish" -> {
        pending.add(msg);
        flush();
      }
      case "info" -> msg.reply(new JsonObject().put("lastSeq", lastSeq).put("base", base)
        .put("options", options.toJson()));
      case "configure" -> {
        options = new TopicOptions((JsonObject) msg.body());
        (node.store() == null ? Future.<Void>succeededFuture()
          : node.store().saveOptions(MessageStore.Kind.TOPIC, name, options.toJson().encode()))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              msg.reply(null);
            } else {
              Failures.reply(msg, ar.cause());
            }
          });
      }
      case "delete" -> {
        deleting = msg;
        vertx.cancelTimer(trimmer);
        pending.forEach(m -> m.fail(Owners.MOVED, "topic " + name + " is being deleted"));
        pending.clear();
        if (!writing) {
          delete();
        }
      }
      default -> msg.fail(400, "unknown operation " + op);
    }
  }

  /**
   * Removes the history (ringbuffer and store), the base and the options, once no append is in flight (one finishing
   * after the ringbuffer's destruction would bring it back); then tells every node's subscriptions (they follow a topic
   * of that name from seq 1, see {@link dev.ferrymq.Gap}) and stops.
   */
  private void delete() {
    IMap<String, String> meta = node.hazelcast().getMap(HazelcastSupport.TOPIC_META);
    IMap<String, Long> bases = node.hazelcast().getMap(HazelcastSupport.TOPIC_BASES);
    vertx.executeBlocking(() -> {
      ring.destroy();
      return null;
    })
      .compose(v -> node.store() == null ? Future.succeededFuture()
        : node.store().delete(MessageStore.Kind.TOPIC, name))
      .compose(v -> Future.all(Future.fromCompletionStage(bases.deleteAsync(name), context),
        Future.fromCompletionStage(meta.deleteAsync(name), context)))
      .onComplete(ar -> {
        DeliveryOptions deleted = new DeliveryOptions().addHeader("deleted", "true");
        for (var member : node.hazelcast().getCluster().getMembers()) {
          node.sendTo(HazelcastSupport.nodeId(member), TopicImpl.liveAddress(name), Buffer.buffer(), deleted);
        }
        if (ar.succeeded()) {
          deleting.reply(null);
        } else {
          Failures.reply(deleting, new UnavailableException("topic " + name + " not fully deleted: "
            + Failures.reason(ar.cause())));
        }
        node.owners().stop(TopicImpl.address(name));
      });
  }

  private void flush() {
    if (writing || pending.isEmpty()) {
      return;
    }
    if (isStopped()) { // the partition moved: the callers retry with the new owner
      pending.forEach(m -> m.fail(Owners.MOVED, "topic owner stopped"));
      pending.clear();
      return;
    }
    // A ringbuffer takes at most 1,000 items in one call; the rest waits for the next batch.
    int n = Math.min(pending.size(), RING_BATCH);
    List<Message<Object>> batch = new ArrayList<>(pending.subList(0, n));
    pending = new ArrayList<>(pending.subList(n, pending.size()));
    writing = true;
    List<byte[]> items = new ArrayList<>(batch.size());
    for (Message<Object> m : batch) {
      items.add(((Buffer) m.body()).getBytes());
    }
    boolean sync = stored() && options.getDurability() == Durability.SYNC;
    // The store rows go in after the append, at the sequence numbers the ringbuffer gave: right even if a stale
    // owner appended meanwhile during a hand-over.
    Future<Long> appended = append(items);
    Future<Long> written = appended.compose(first -> !stored() ? Future.succeededFuture(first)
      : node.store().insertTopicMessages(name, rows(items, first)).map(first));
    if (!sync) {
      written.onFailure(e -> LOG.warn("topic {}: write-behind to the store failed: {}", name, e.getMessage()));
    }
    (sync ? written : appended).onComplete(ar -> {
      writing = false;

      if (appended.succeeded()) {
        long first = appended.result();
        lastSeq = Math.max(lastSeq, first + items.size() - 1);
        if (meters != null) {
          meters.appended(lastSeq, items.size());
        }
        // In the ringbuffer now, confirmed or not: subscribers get it either way.
        Buffer encoded = TopicBatch.encode(items);
        DeliveryOptions live = new DeliveryOptions().addHeader("first", Long.toString(first));
        for (var member : node.hazelcast().getCluster().getMembers()) {
          node.sendTo(HazelcastSupport.nodeId(member), TopicImpl.liveAddress(name), encoded, live);
        }
      }
      if (ar.succeeded()) {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).reply(ar.result() + i);
        }
      } else {
        batch.forEach(m -> Failures.reply(m, new UnavailableException("message not stored: "
          + Failures.reason(ar.cause()))));
      }
      if (deleting != null) { // it waited for this append to end
        delete();
      } else {
        flush();
      }
    });
  }

  /** @return the topic sequence of the first item, once appended */
  private Future<Long> append(List<byte[]> items) {
    try {
      return Future.fromCompletionStage(ring.addAllAsync(items, OverflowPolicy.OVERWRITE), context)
        .map(last -> base + last + 2 - items.size());
    } catch (RuntimeException e) { // Hazelcast shutting down: the batch fails, the owner goes on
      return Future.failedFuture(e);
    }
  }

  private static List<StoredMessage> rows(List<byte[]> items, long first) {
    List<StoredMessage> rows = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      rows.add(StoredMessage.of(first + i, items.get(i)));
    }
    return rows;
  }

  /** Keeps the store's history to what the ringbuffer can hold. */
  private void trim() {
    measureHistory();
    long keepFrom = lastSeq - options.getCapacity() + 1;
    if (stored() && keepFrom > trimmedTo + 1) {
      node.store().trimTopic(name, keepFrom).onSuccess(v -> trimmedTo = keepFrom - 1);
    }
  }
}
