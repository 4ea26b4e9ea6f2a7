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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /stats/events?limit=}: what the dashboard draws, as SSE. Every second one {@code stats} event with the
 * time, the members (each with the number of queues and topics it owns) and the first page of {@code GET /queues}
 * and {@code GET /topics} (up to {@code limit} of each), each item with its {@code owner} and topics with their
 * {@code subscribers}. The event's size is bounded by {@code limit} and the number of members. One snapshot is
 * gathered at a time: a tick that finds the previous one still under way is skipped, so a slow broker slows the
 * stream instead of piling up reads. The timer stops when the client goes.
 */
final class StatsStream {

  /** Time between two snapshots. */
  static final long INTERVAL_MS = 1000;
  /** Destinations of each kind per snapshot when the request names no {@code limit}. */
  static final int DEFAULT_LIMIT = 100;

  /** Stats streams open in this JVM, whose timers run (for tests). */
  static final AtomicInteger OPEN = new AtomicInteger();

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
    OPEN.incrementAndGet();
    stream.onClose(() -> {
      ctx.vertx().cancelTimer(timer);
      OPEN.decrementAndGet();
    });
    tick.run();
  }

  /** @return one snapshot: {@code {"time","cluster","queues","moreQueues","topics","moreTopics"}} */
  private Future<JsonObject> snapshot(int limit) {
    Future<ClusterInfo> cluster = broker.cluster();
    Future<Page<QueueInfo>> queues = broker.queues(null, limit);
    Future<Page<TopicStats>> topics = broker.topics(null, limit);
    return Future.all(cluster, queues, topics).map(v -> {
      ClusterInfo c = cluster.result();
      JsonArray qs = new JsonArray();
      queues.result().items().forEach(q -> qs.add(q.toJson()
        .put("owner", c.owners().get("queue:" + q.stats().queue()))));
      JsonArray ts = new JsonArray();
      topics.result().items().forEach(t -> ts.add(t.toJson().put("owner", c.owners().get("topic:" + t.topic()))
        .put("subscribers", c.subscribers().getOrDefault(t.topic(), 0))));
      return new JsonObject().put("time", System.currentTimeMillis()).put("cluster", members(c))
        .put("queues", qs).put("moreQueues", queues.result().next() != null)
        .put("topics", ts).put("moreTopics", topics.result().next() != null);
    });
  }

  /** @return the cluster view with, for each member, how many queues and topics it owns instead of every owner */
  private static JsonObject members(ClusterInfo c) {
    Map<String, int[]> owned = new HashMap<>();
    c.owners().forEach((key, node) ->
      owned.computeIfAbsent(node, n -> new int[2])[key.startsWith("queue:") ? 0 : 1]++);
    JsonArray members = new JsonArray();
    for (ClusterInfo.Member m : c.members()) {
      int[] n = owned.getOrDefault(m.id(), new int[2]);
      members.add(new JsonObject().put("id", m.id()).put("address", m.address()).put("local", m.local())
        .put("queues", n[0]).put("topics", n[1]));
    }
    return new JsonObject().put("node", c.nodeId()).put("safe", c.safe()).put("members", members);
  }
}
