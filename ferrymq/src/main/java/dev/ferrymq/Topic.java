package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * A publish/subscribe topic: every subscriber gets every message in one order, and may start from a sequence number
 * still in the topic's history. Obtained with {@link Broker#topic(String)}; created with default options by the
 * first publish or subscription, or by {@link #configure}. Reads ({@link #stats}, {@link #history}) never create it:
 * on a topic that does not exist they fail with {@link NotFoundException}.
 */
public interface Topic {

  /** @return the topic's name */
  String name();

  /** Publishes; succeeds with the message's sequence number once it is in the replicated history. */
  default Future<Long> publish(Buffer payload) {
    return publish(payload, null, Map.of());
  }

  /** Publishes with a content type and headers. */
  default Future<Long> publish(Buffer payload, String contentType, Map<String, String> headers) {
    return publishForResult(payload, contentType, headers).map(PublishResult::seq);
  }

  /** Publishes like {@link #publish(Buffer, String, Map)} and also tells the message's id. */
  Future<PublishResult> publishForResult(Buffer payload, String contentType, Map<String, String> headers);

  /**
   * Subscribes from {@code from}: {@code handler} gets every message after that point still in history, then the
   * live ones, in sequence order with no gap and no duplicate. A gap (history no longer reaching {@code from}) is
   * logged; use {@link #subscribe(Position, Handler, Handler)} to handle it.
   */
  default Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler) {
    return subscribe(from, handler, gap -> org.slf4j.LoggerFactory.getLogger(Topic.class).warn(
      "topic {}: history no longer reaches seq {}; resuming at {}", name(), gap.requested(), gap.oldest()));
  }

  /** Subscribes; {@code gapHandler} is told first when history no longer reaches {@code from}. */
  Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler, Handler<Gap> gapHandler);

  /**
   * Subscribes with a position per partition, by partition index (what {@link Subscription#positions()} told, or
   * the SSE id {@code 0:12,1:7}): each partition resumes after its own position. A topic that is not partitioned takes
   * one position. Fails with {@link InvalidRequestException} when the count is not the topic's partition count.
   */
  default Future<Subscription> subscribe(List<Position> from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    if (from == null || from.size() != 1) {
      return Future.failedFuture(new InvalidRequestException("topic '" + name() + "' is not partitioned: give one"
        + " position, not " + (from == null ? 0 : from.size())));
    }
    return subscribe(from.get(0), handler, gapHandler);
  }

  /**
   * @return up to {@code limit} messages of history after {@code from}, in order; fails with
   *     {@link NotFoundException} when the topic does not exist
   */
  Future<List<TopicMessage>> history(Position from, int limit);

  /** @return a snapshot of the topic; fails with {@link NotFoundException} when it does not exist */
  Future<TopicStats> stats();

  /**
   * Sets the topic's options, creating the topic if need be. Fails with {@link ConflictException} when the topic
   * exists with another capacity.
   */
  Future<Void> configure(TopicOptions options);

  /**
   * Deletes the topic: its history (in the cluster and in the store) and its options. Fails with
   * {@link NotFoundException} when it does not exist. Its subscriptions stay open and are told with a {@link Gap}
   * whose {@code oldest} is 1: a topic of the same name, created again by a publish or subscription, numbers from 1.
   * Capacity and TTL stay as they were for a topic of that name until the whole cluster restarts (the cluster cannot
   * change them); configuring other ones before then fails with {@link ConflictException}.
   */
  Future<Void> delete();
}
