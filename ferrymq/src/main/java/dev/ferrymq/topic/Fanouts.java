package dev.ferrymq.topic;

import dev.ferrymq.TopicMessage;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.metrics.Destination;
import dev.ferrymq.metrics.TopicMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The per-node end of topic fan-out: one event-bus consumer per topic with local subscribers, which hands each
 * batch from the topic's owner to every local subscription. Subscriptions are grouped by the event loop they run on,
 * so a batch costs one task per event loop, not one per subscriber (10,000 SSE streams on a node are 10,000
 * subscriptions).
 */
public final class Fanouts {

  private final Node node;
  private final Map<String, Fanout> byTopic = new ConcurrentHashMap<>();

  private static final class Fanout {
    /** By event-loop thread, or by context for subscriptions on worker contexts. */
    final Map<Object, Group> groups = new ConcurrentHashMap<>();
    MessageConsumer<Buffer> consumer;
    /** The gauge of this node's subscribers of the topic, or {@code null} when the node reports none. */
    Destination meter;

    int subscribers() {
      int n = 0;
      for (Group g : groups.values()) {
        n += g.subscribers.size();
      }
      return n;
    }
  }

  /** The subscriptions of one event loop (or one worker context). */
  private static final class Group {
    final Thread loop;
    final Context context;
    final List<SubscriptionImpl> subscribers = new CopyOnWriteArrayList<>();

    Group(SubscriptionImpl first) {
      this.loop = first.loop();
      this.context = first.context();
    }

    void onLive(List<TopicMessage> batch) {
      if (loop != null ? Thread.currentThread() == loop : Vertx.currentContext() == context) {
        live(batch);
      } else {
        context.runOnContext(v -> live(batch));
      }
    }

    private void live(List<TopicMessage> batch) {
      for (SubscriptionImpl s : subscribers) {
        s.live(batch);
      }
    }

    void onDeleted() {
      context.runOnContext(v -> subscribers.forEach(SubscriptionImpl::topicDeleted));
    }
  }

  /** @param node the node */
  public Fanouts(Node node) {
    this.node = node;
  }

  /** Adds a subscription; the future completes once live messages of the topic reach this node. */
  Future<Void> join(String topic, SubscriptionImpl s) {
    Fanout f = byTopic.compute(topic, (t, existing) -> {
      Fanout fanout = existing;
      if (fanout == null) {
        fanout = new Fanout();
        Fanout self = fanout;
        fanout.consumer = node.vertx().eventBus().localConsumer(TopicImpl.liveAddress(t), msg -> {
          if (msg.headers().contains("deleted")) {
            self.groups.values().forEach(Group::onDeleted);
            return;
          }
          long first = Long.parseLong(msg.headers().get("first"));
          var batch = TopicBatch.decode(t, first, msg.body());
          for (Group g : self.groups.values()) {
            g.onLive(batch);
          }
        });
        fanout.meter = TopicMeters.subscribers(node.meters(), t, self::subscribers);
      }
      fanout.groups.computeIfAbsent(key(s), k -> new Group(s)).subscribers.add(s);
      return fanout;
    });
    return f.consumer.completion();
  }

  /** Removes a subscription; the topic's consumer goes when its last local subscriber does. */
  void leave(String topic, SubscriptionImpl s) {
    byTopic.computeIfPresent(topic, (t, f) -> {
      Group g = f.groups.get(key(s));
      if (g != null && g.subscribers.remove(s) && g.subscribers.isEmpty()) {
        f.groups.remove(key(s));
      }
      if (f.groups.isEmpty()) {
        if (f.meter != null) {
          f.meter.close();
        }
        f.consumer.unregister();
        return null;
      }
      return f;
    });
  }

  /** @return for each topic with subscriptions on this node, how many there are */
  public JsonObject counts() {
    JsonObject counts = new JsonObject();
    byTopic.forEach((topic, f) -> counts.put(topic,
      f.groups.values().stream().mapToInt(g -> g.subscribers.size()).sum()));
    return counts;
  }

  private static Object key(SubscriptionImpl s) {
    return s.loop() != null ? s.loop() : s.context();
  }
}
