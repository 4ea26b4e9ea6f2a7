package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Position;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /topics/:topic/events}: one topic as SSE. Starts after {@code Last-Event-ID} (a sequence number) or at
 * {@code ?from=}; each message is {@code id: <seq>}, {@code event: message}, the payload as data lines. A partitioned
 * topic's stream is {@link PartitionedTopicStream}'s.
 */
final class TopicStream {

  private final Broker broker;
  private final GatewayOptions options;
  private final EventCache events = new EventCache();

  TopicStream(Broker broker, GatewayOptions options) {
    this.broker = broker;
    this.options = options;
  }

  void handle(RoutingContext ctx) {
    Topic topic = broker.topic(Params.name(ctx, "topic"));
    String last = ctx.request().getHeader("Last-Event-ID");
    boolean vector = last != null && last.indexOf(':') >= 0; // a partitioned topic's position in every partition
    Position from = vector ? Position.parse(Params.query(ctx, "from")) : start(ctx);
    topic.stats().<TopicStats>map(s -> s)
      .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(null) : Future.failedFuture(e))
      .onFailure(e -> SseStream.fail(ctx, options, e))
      .onSuccess(stats -> {
        int partitions = stats == null ? 1 : stats.options().getPartitions();
        try {
          if (partitions > 1) {
            PartitionedTopicStream.handle(ctx, options, topic, partitions, vector ? last : null, from);
          } else if (vector) {
            throw new InvalidRequestException("Last-Event-ID must be a sequence number on this stream");
          } else {
            stream(ctx, topic, from, stats);
          }
        } catch (RuntimeException e) {
          SseStream.fail(ctx, options, e);
        }
      });
  }

  private void stream(RoutingContext ctx, Topic topic, Position from, TopicStats stats) {
    SseStream stream = SseStream.open(ctx, options);
    long after = !from.isLatest() ? from.after() : stats == null ? 0 : stats.lastSeq();
    // An id before any event: a client that reconnects before its first message still resumes from here.
    stream.id(Long.toString(after));
    topic.subscribe(Position.after(after),
        m -> stream.send(events.encoded(m)),
        gap -> stream.event(null, "gap", new JsonObject().put("requested", gap.requested())
          .put("oldest", gap.oldest()).encode()))
      .onSuccess(sub -> stream.onClose(sub::close))
      .onFailure(stream::endWith);
  }

  /**
   * @return the sequence number to start after: {@code latest} becomes the topic's last sequence number now, 0 for a
   *     topic that does not exist yet (the subscription creates it)
   */
  static Future<Long> resolve(Topic topic, Position from) {
    return from.isLatest()
      ? topic.stats().map(TopicStats::lastSeq)
        .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(0L) : Future.failedFuture(e))
      : Future.succeededFuture(from.after());
  }

  /** @return where to start: {@code Last-Event-ID} wins over {@code ?from=}; default latest */
  static Position start(RoutingContext ctx) {
    String last = ctx.request().getHeader("Last-Event-ID");
    if (last != null && !last.isBlank()) {
      try {
        return Position.after(Long.parseLong(last.trim()));
      } catch (NumberFormatException e) {
        throw new InvalidRequestException("Last-Event-ID must be a sequence number on this stream");
      }
    }
    return Position.parse(Params.query(ctx, "from"));
  }
}
