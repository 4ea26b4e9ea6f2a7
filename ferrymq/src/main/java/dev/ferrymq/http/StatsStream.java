package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.ClusterInfo;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Page;
import dev.ferrymq.QueueInfo;
import dev.ferrymq.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /stats/events?limit=}: what the dashboard draws, as SSE. Every second one {@code stats} event with the
 * time, {@code GET /cluster}'s view and the first page of {@code GET /queues} and {@code GET /topics} (up to
 * {@code limit} of each). One snapshot is gathered at a time: a tick that finds the previous one still under way is
 * skipped, so a slow broker slows the stream instead of piling up reads. The timer stops when the client goes.
 */
final class StatsStream {

  /** Time between two snapshots. */
  static final long INTERVAL_MS = 1000;
  /** Destinations of each kind per snapshot when the request names no {@code limit}. */
  static final int DEFAULT_LIMIT = 100;

  private final Broker broker;
  private final GatewayOptions options;

  StatsStream(Broker broker, GatewayOptions options) {
    this.broker = broker;
    this.options = options;
  }

  void handle(RoutingContext ctx) {
    int limit = Params.integer(ctx, "limit", DEFAULT_LIMIT, 1, Page.MAX_LIMIT);
    SseStream stream = SseStream.open(ctx, options);
    AtomicBoolean busy = new AtomicBoolean();
    Runnable tick = () -> {
      if (stream.closed() || !busy.compareAndSet(false, true)) {
        return;
      }
      snapshot(limit).onComplete(ar -> {
        busy.set(false);
        if (ar.succeeded()) {
          stream.event(null, "stats", ar.result().encode());
        } else {
          stream.comment("stats not available: " + ar.cause().getMessage());
        }
      });
    };
    long timer = ctx.vertx().setPeriodic(INTERVAL_MS, id -> tick.run());
    stream.onClose(() -> ctx.vertx().cancelTimer(timer));
    tick.run();
  }

  /** @return one snapshot: {@code {"time","cluster","queues","moreQueues","topics","moreTopics"}} */
  private Future<JsonObject> snapshot(int limit) {
    Future<ClusterInfo> cluster = broker.cluster();
    Future<Page<QueueInfo>> queues = broker.queues(null, limit);
    Future<Page<TopicStats>> topics = broker.topics(null, limit);
    return Future.all(cluster, queues, topics).map(v -> {
      JsonArray qs = new JsonArray();
      queues.result().items().forEach(q -> qs.add(q.toJson()));
      JsonArray ts = new JsonArray();
      topics.result().items().forEach(t -> ts.add(t.toJson()));
      return new JsonObject().put("time", System.currentTimeMillis()).put("cluster", cluster.result().toJson())
        .put("queues", qs).put("moreQueues", queues.result().next() != null)
        .put("topics", ts).put("moreTopics", topics.result().next() != null);
    });
  }
}
