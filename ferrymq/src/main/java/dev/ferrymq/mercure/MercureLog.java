package dev.ferrymq.mercure;

import dev.ferrymq.Broker;
import dev.ferrymq.ConflictException;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Position;
import dev.ferrymq.PublishResult;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The hub's ordered log of updates: one FerryMQ topic (its replicated ringbuffer is the history), so every node sees
 * the same order and a subscriber may resume on any node. Update ids map to the topic's sequence numbers: through a
 * bounded table of the ids this node published or delivered, else by reading the history.
 */
public final class MercureLog {

  /** Updates read per history page while looking for an id. */
  private static final int PAGE = 1000;
  private static final int SLOTS = 64;

  /** What a subscription starts after, and the id to report as the last event before it. */
  public record Start(long afterSeq, String lastEventId) {
  }

  /** A message decoded once per node: the update (or {@code null}) and its SSE bytes. */
  public record Decoded(TopicMessage message, Update update, Buffer sse) {
  }

  private final Topic topic;
  private final int historySize;
  private final Map<String, Long> seqOfId;
  private final AtomicReferenceArray<Decoded> decoded = new AtomicReferenceArray<>(SLOTS);
  private Future<Void> ready;

  /**
   * @param topicName the FerryMQ topic that holds the updates
   * @param historySize the capacity the topic is created with, if it does not exist yet
   */
  public MercureLog(Broker broker, String topicName, int historySize) {
    this.topic = broker.topic(topicName);
    this.historySize = historySize;
    int max = Math.min(historySize, 100_000);
    this.seqOfId = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > max;
      }
    });
  }

  /** @return the hub's FerryMQ topic */
  public Topic topic() {
    return topic;
  }

  /**
   * Creates the topic with the history size on first use; one that exists is kept as it is (an operator may have set
   * its durability, and a ringbuffer's capacity is fixed once it exists).
   */
  public synchronized Future<Void> ready() {
    if (ready == null || ready.failed()) {
      ready = topic.stats().<Void>mapEmpty().recover(e -> e instanceof NotFoundException
        ? topic.configure(new TopicOptions().setCapacity(historySize))
          .recover(c -> c instanceof ConflictException ? Future.succeededFuture() : Future.failedFuture(c))
        : Future.failedFuture(e));
    }
    return ready;
  }

  /** Appends {@code update}; @return its sequence number in the hub's order */
  public Future<Long> append(Update update) {
    return append(update, Map.of());
  }

  /** Appends {@code update} with more message headers; @return its sequence number in the hub's order */
  public Future<Long> append(Update update, Map<String, String> extra) {
    Map<String, String> headers = update.headers();
    headers.putAll(extra);
    return ready().compose(v -> topic.publishForResult(update.payload(), "text/plain; charset=utf-8", headers))
      .map(PublishResult::seq).onSuccess(seq -> seqOfId.put(update.id(), seq));
  }

  /**
   * Reads the whole history in order, page by page.
   *
   * @param each called with every message, on the caller's context
   * @return done once all was read
   */
  public Future<Void> readAll(java.util.function.Consumer<TopicMessage> each) {
    return ready().compose(v -> readFrom(0, each));
  }

  private Future<Void> readFrom(long after, java.util.function.Consumer<TopicMessage> each) {
    return topic.history(Position.after(after), PAGE).compose(page -> {
      page.forEach(each);
      return page.size() < PAGE ? Future.succeededFuture() : readFrom(page.get(page.size() - 1).seq(), each);
    });
  }

  /** @return the update of {@code m} with its SSE bytes, decoded once for all the node's subscribers */
  public Decoded decode(TopicMessage m) {
    int slot = (int) (m.seq() & (SLOTS - 1));
    Decoded d = decoded.get(slot);
    if (d != null && d.message == m) {
      return d;
    }
    Update u = Update.of(m);
    d = new Decoded(m, u, u == null ? null : Buffer.buffer(u.sse().getBytes(StandardCharsets.UTF_8)));
    decoded.set(slot, d);
    if (u != null) {
      seqOfId.put(u.id(), m.seq());
    }
    return d;
  }

  /**
   * Where a subscriber starts: after the update {@code lastEventId} when the history still holds it; at the start of
   * the history for {@code earliest}; else (no id, or one no longer known) after the latest update.
   */
  public Future<Start> start(String lastEventId) {
    if ("earliest".equals(lastEventId)) {
      return Future.succeededFuture(new Start(0, "earliest"));
    }
    return ready().compose(v -> {
      if (lastEventId == null) {
        return latest();
      }
      Long known = seqOfId.get(lastEventId);
      Future<Long> seq = known != null ? Future.succeededFuture(known)
        : find(lastEventId, 0).recover(e -> Future.succeededFuture(null)); // history trimmed under the read
      return seq.compose(s -> s != null ? Future.succeededFuture(new Start(s, lastEventId)) : latest());
    });
  }

  private Future<Start> latest() {
    return topic.stats().map(s -> s.lastSeq())
      .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(0L) : Future.failedFuture(e))
      .compose(last -> last == 0 ? Future.succeededFuture(new Start(0, "earliest"))
        : topic.history(Position.after(last - 1), 1).map(list -> {
          Update u = list.isEmpty() ? null : Update.of(list.get(0));
          return new Start(last, u != null ? u.id() : "earliest");
        }));
  }

  /** Reads the history after {@code after} page by page for {@code id}; @return its sequence, or {@code null} */
  private Future<Long> find(String id, long after) {
    return topic.history(Position.after(after), PAGE).compose(page -> {
      for (TopicMessage m : page) {
        Update u = Update.of(m);
        if (u != null && u.id().equals(id)) {
          seqOfId.put(id, m.seq());
          return Future.succeededFuture(m.seq());
        }
      }
      return page.size() < PAGE ? Future.succeededFuture(null) : find(id, page.get(page.size() - 1).seq());
    });
  }
}
