package dev.ferrymq.topic;

import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.ferrymq.ConflictException;
import dev.ferrymq.Gap;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Position;
import dev.ferrymq.PublishResult;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.TopicStats;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A handle on a topic: publishes go to the owner; subscriptions and history read the replicated ringbuffer. */
public final class TopicImpl implements Topic {

  private static final int MAX_HISTORY = 1000;

  private final Node node;
  private final Fanouts fanouts;
  private final String name;

  /** @param node the node @param fanouts the node's fan-outs @param name the topic's name, checked on each operation */
  public TopicImpl(Node node, Fanouts fanouts, String name) {
    this.node = node;
    this.fanouts = fanouts;
    this.name = name;
  }

  /** @return the local address of the owner of topic {@code name} */
  public static String address(String name) {
    return "ferrymq.topic." + name;
  }

  /**
   * @return the name of the topic's ringbuffer: {@code ferrymq.t.<topic>@<topic>}, so that Hazelcast places it in
   *     the partition of the topic's name, where its owner runs
   */
  static String ringName(String name) {
    return HazelcastSupport.TOPIC_RING_PREFIX + name + "@" + name;
  }

  static String liveAddress(String name) {
    return "ferrymq.topic." + name + ".live";
  }

  /** Records the topic's options unless it exists. @return the options in force */
  static Future<TopicOptions> createMeta(Node node, String name, TopicOptions options) {
    IMap<String, String> meta = node.hazelcast().getMap(HazelcastSupport.TOPIC_META);
    String json = options.toJson().encode();
    return HazelcastSupport.putIfAbsent(meta, name, json).map(j -> new TopicOptions(new JsonObject(j)));
  }

  @Override
  public String name() {
    return name;
  }

  private <T> Future<Message<T>> call(String op, Object body) {
    return node.callOwner(address(name), name, op, body, new DeliveryOptions());
  }

  @Override
  public Future<PublishResult> publishForResult(Buffer payload, String contentType, Map<String, String> headers) {
    if (payload == null) {
      return Future.failedFuture(new InvalidRequestException("payload must not be null"));
    }
    Envelope env = Envelope.create(node.options().getClock().millis(), contentType,
      headers == null ? Map.of() : new LinkedHashMap<>(headers), payload, null);
    return this.<Long>call("publish", env.encode()).map(m -> new PublishResult(m.body(), env.id()));
  }

  private Future<JsonObject> info() {
    return this.<JsonObject>call("info", null).map(Message::body);
  }

  /**
   * Succeeds when the topic exists (its entry in the meta map); else fails with {@link NotFoundException}. Reads
   * check this first, so they never start an owner, which would create the topic.
   */
  private Future<Void> existing() {
    if (!Names.validOrPartition(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    return HazelcastSupport.meta(node.hazelcast(), HazelcastSupport.TOPIC_META, name)
      .compose(json -> json != null ? Future.succeededFuture() : Future.failedFuture(NotFoundException.topic(name)));
  }

  private Ringbuffer<byte[]> ring() {
    return node.hazelcast().getRingbuffer(ringName(name));
  }

  @Override
  public Future<Subscription> subscribe(Position from, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    if (from == null || handler == null || gapHandler == null) {
      return Future.failedFuture(new InvalidRequestException("from, handler and gapHandler must be given"));
    }
    Context context = node.vertx().getOrCreateContext();
    // Called on an event loop: its thread delivers (the caller's own context may be one of its duplicates).
    Thread loop = context.isEventLoopContext() && Vertx.currentContext() == context ? Thread.currentThread() : null;
    return info().compose(info -> {
      long last = info.getLong("lastSeq");
      int capacity = info.getJsonObject("options").getInteger("capacity");
      long after = from.isLatest() ? last : Math.min(from.after(), last);
      SubscriptionImpl s = new SubscriptionImpl(name, ring(), info.getLong("base"), capacity, context, loop,
        fanouts, handler, gapHandler);
      return s.start(after);
    });
  }

  @Override
  public Future<List<TopicMessage>> history(Position from, int limit) {
    if (from == null) {
      return Future.failedFuture(new InvalidRequestException("from must be given"));
    }
    if (limit < 1 || limit > MAX_HISTORY) {
      return Future.failedFuture(new InvalidRequestException("limit must be between 1 and " + MAX_HISTORY));
    }
    return existing().compose(v -> info()).compose(info -> {
      long last = info.getLong("lastSeq");
      int capacity = info.getJsonObject("options").getInteger("capacity");
      if (from.isLatest() || from.after() >= last) {
        return Future.succeededFuture(List.of());
      }
      long base = info.getLong("base");
      Context context = node.vertx().getOrCreateContext();
      return Future.fromCompletionStage(ring().readManyAsync(Math.max(0, from.after() - base), 0,
          Math.min(limit, capacity), null), context)
        .map(rs -> messages(rs, base));
    });
  }

  private List<TopicMessage> messages(ReadResultSet<byte[]> rs, long base) {
    List<TopicMessage> out = new ArrayList<>(rs.size());
    for (int i = 0; i < rs.size(); i++) {
      out.add(TopicBatch.message(name, base + rs.getSequence(i) + 1, Envelope.decode(rs.get(i))));
    }
    return out;
  }

  @Override
  public Future<TopicStats> stats() {
    return existing().compose(v -> info()).compose(info -> node.vertx().executeBlocking(() -> {
      long last = info.getLong("lastSeq");
      long oldest = info.getLong("base") + ring().headSequence() + 1;
      return new TopicStats(name, last, Math.min(oldest, last + 1), new TopicOptions(info.getJsonObject("options")));
    }));
  }

  @Override
  public Future<Void> configure(TopicOptions options) {
    if (options == null) {
      return Future.failedFuture(new InvalidRequestException("options must be given"));
    }
    if (!Names.validOrPartition(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    return keptSinceDeleted(options).compose(v -> createMeta(node, name, options)).compose(current -> {
      if (current.getCapacity() != options.getCapacity() || !current.getTtl().equals(options.getTtl())) {
        return Future.failedFuture(new ConflictException("topic '" + name + "' exists with capacity "
          + current.getCapacity() + " and ttl " + current.getTtl().toSeconds() + "s; those are fixed at creation"));
      }
      IMap<String, String> meta = node.hazelcast().getMap(HazelcastSupport.TOPIC_META);
      return Future.fromCompletionStage(meta.setAsync(name, options.toJson().encode()),
          node.vertx().getOrCreateContext())
        .compose(v -> call("configure", options.toJson()))
        .mapEmpty();
    });
  }

  /**
   * A topic that was deleted keeps its ringbuffer's capacity and TTL until the whole cluster restarts (the cluster
   * cannot change them): creating it again with others fails with {@link ConflictException}.
   */
  private Future<Void> keptSinceDeleted(TopicOptions options) {
    return HazelcastSupport.meta(node.hazelcast(), HazelcastSupport.TOPIC_META, name).compose(json -> json != null
      ? Future.succeededFuture()
      : node.vertx().executeBlocking(() -> TopicOwner.fixedByRing(node, name)).compose(fixed -> fixed == null
        || (fixed.getCapacity() == options.getCapacity() && fixed.getTtl().equals(options.getTtl()))
        ? Future.succeededFuture()
        : Future.failedFuture(new ConflictException("topic '" + name + "' had capacity " + fixed.getCapacity()
          + " and ttl " + fixed.getTtl().toSeconds() + "s before it was deleted; those stay fixed until the whole "
          + "cluster restarts"))));
  }

  @Override
  public Future<Void> delete() {
    return existing().compose(v -> call("delete", null)).mapEmpty();
  }
}
