package dev.ferrymq.topic;

import dev.ferrymq.broker.BrokerImpl;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The per-node end of topic fan-out: one event-bus consumer per topic with local subscribers, which hands each
 * batch from the topic's owner to every local subscription.
 */
public final class Fanouts {

  private final BrokerImpl broker;
  private final Map<String, Fanout> byTopic = new ConcurrentHashMap<>();

  private static final class Fanout {
    final List<SubscriptionImpl> subscribers = new CopyOnWriteArrayList<>();
    MessageConsumer<Buffer> consumer;
  }

  /** @param broker the node */
  public Fanouts(BrokerImpl broker) {
    this.broker = broker;
  }

  /** Adds a subscription; the future completes once live messages of the topic reach this node. */
  Future<Void> join(String topic, SubscriptionImpl s) {
    Fanout f = byTopic.compute(topic, (t, existing) -> {
      Fanout fanout = existing;
      if (fanout == null) {
        fanout = new Fanout();
        Fanout self = fanout;
        fanout.consumer = broker.vertx().eventBus().localConsumer(TopicImpl.liveAddress(t), msg -> {
          long first = Long.parseLong(msg.headers().get("first"));
          var batch = TopicBatch.decode(t, first, msg.body());
          for (SubscriptionImpl sub : self.subscribers) {
            sub.onLive(batch);
          }
        });
      }
      fanout.subscribers.add(s);
      return fanout;
    });
    return f.consumer.completion();
  }

  /** Removes a subscription; the topic's consumer goes when its last local subscriber does. */
  void leave(String topic, SubscriptionImpl s) {
    byTopic.computeIfPresent(topic, (t, f) -> {
      f.subscribers.remove(s);
      if (f.subscribers.isEmpty()) {
        f.consumer.unregister();
        return null;
      }
      return f;
    });
  }
}
