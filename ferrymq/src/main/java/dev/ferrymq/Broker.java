package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A FerryMQ node: queues, topics and request/reply on a Vert.x instance. On a Vert.x clustered with vertx-hazelcast
 * it uses that Hazelcast member; otherwise it starts an embedded one bound to 127.0.0.1.
 *
 * <pre>{@code
 * Broker.create(vertx, new BrokerOptions()).onSuccess(broker -> {
 *   broker.queue("jobs").consumer(new ConsumerOptions(), d -> { work(d.payload()); d.ack(); });
 *   broker.queue("jobs").send(Buffer.buffer("hello"));
 * });
 * }</pre>
 */
public interface Broker {

  /** Starts a broker on {@code vertx}. */
  static Future<Broker> create(Vertx vertx, BrokerOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    return BrokerFactory.load().create(vertx, new BrokerOptions(options));
  }

  /** @return the queue with this name; names are checked on use, a bad one fails every operation */
  Queue queue(String name);

  /** @return the topic with this name; names are checked on use, a bad one fails every operation */
  Topic topic(String name);

  /**
   * Subscribes to every topic whose name matches {@code pattern} (see {@link TopicPattern}: {@code orders.*},
   * {@code orders.>}), topics created later on any node included. Gaps are logged; use
   * {@link #subscribe(List, SubscribeOptions, Handler, Handler)} to handle them.
   */
  default Future<PatternSubscription> subscribe(String pattern, SubscribeOptions options,
                                                Handler<TopicMessage> handler) {
    return subscribe(List.of(pattern), options, handler, gap -> org.slf4j.LoggerFactory.getLogger(Broker.class)
      .warn("topic {}: history no longer reaches seq {}; resuming at {}", gap.topic(), gap.requested(), gap.oldest()));
  }

  /**
   * Subscribes to every topic that matches one of {@code patterns}, topics created later on any node included (the
   * subscription learns of them within moments). Each matching topic is followed once however many patterns match it:
   * the handler gets each of its messages once, in sequence order; messages of different topics interleave. A
   * pattern without wildcard names one topic, which is created if need be. Where each topic starts: see
   * {@link SubscribeOptions}. The handlers run on the context the call was made from (or a new event loop's).
   *
   * @param patterns 1 or more names or patterns; a bad one fails the future with {@link InvalidRequestException}
   * @param gapHandler told when a topic's history no longer reaches where it was to start, or it was deleted
   */
  Future<PatternSubscription> subscribe(List<String> patterns, SubscribeOptions options,
                                        Handler<TopicMessage> handler, Handler<TopicGap> gapHandler);

  /** @return the names of the queues that exist */
  Future<List<String>> queues();

  /** @return the names of the topics that exist */
  Future<List<String>> topics();

  /**
   * Lists queues with their stats, a page at a time, sorted by name; dead-letter queues are marked as such
   * ({@link QueueInfo#deadLetterQueueOf()}). Reads each queue's stats from its owner (starting owners that are not
   * running yet, as after a restart). A queue deleted while the page is read is left out.
   *
   * @param after the {@link Page#next()} of the previous page, or {@code null} for the first
   * @param limit 1 to {@link Page#MAX_LIMIT} queues
   */
  Future<Page<QueueInfo>> queues(String after, int limit);

  /**
   * Lists topics with their stats, a page at a time, sorted by name. A topic deleted while the page is read is left
   * out.
   *
   * @param after the {@link Page#next()} of the previous page, or {@code null} for the first
   * @param limit 1 to {@link Page#MAX_LIMIT} topics
   */
  Future<Page<TopicStats>> topics(String after, int limit);

  /**
   * Sends {@code payload} to whoever consumes {@code address} on the (clustered) event bus and waits for one reply.
   * Fails with {@link RequestTimeoutException}, {@link NoHandlerException} or {@link HandlerFailureException}.
   */
  Future<Reply> request(String address, Buffer payload, Map<String, String> headers, Duration timeout);

  /** @return the members, whether this member's data is safely backed up, and who owns each destination */
  Future<ClusterInfo> cluster();

  /**
   * Succeeds when this node can serve: it has joined, its partitions are backed up, and every member's endpoint
   * answers (membership alone is not enough: event-bus registrations take a moment to spread). Fails with
   * {@link UnavailableException} saying why not.
   */
  Future<Void> ready();

  /**
   * @return how much memory the messages of the queues this node owns take, against the high watermark, and whether
   *     the memory alarm is on (queue sends refused with {@link MemoryAlarmException}; the node stays ready)
   */
  MessageMemory memory();

  /**
   * @return the Micrometer registry this broker reports its metrics to ({@link BrokerOptions#setMeterRegistry}, or
   *     Vert.x's when its Micrometer metrics are on), or {@code null} when it reports none
   */
  default io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return null;
  }

  /** @return this node's id in the cluster */
  String nodeId();

  /** @return the Vert.x instance the broker runs on */
  Vertx vertx();

  /** Stops this node's owners and, if the broker started it, the embedded Hazelcast member. */
  Future<Void> close();
}
