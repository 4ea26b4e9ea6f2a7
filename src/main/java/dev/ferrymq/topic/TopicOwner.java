package dev.ferrymq.topic;

import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.broker.BrokerImpl;
import dev.ferrymq.broker.Failures;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one topic: appends publishes to the topic's replicated ringbuffer in batches (one batch in
 * flight), answers each publisher with its sequence number, then publishes the batch once on the event bus to every
 * node's fan-out. A message's sequence number is its ringbuffer sequence + 1.
 */
public final class TopicOwner extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TopicOwner.class);

  private final BrokerImpl broker;
  private final String name;
  private TopicOptions options;
  private Ringbuffer<byte[]> ring;
  private MessageConsumer<Object> consumer;
  private long lastSeq;
  private List<Message<Object>> pending = new ArrayList<>();
  private boolean writing;

  /** @param broker the node @param name the topic */
  public TopicOwner(BrokerImpl broker, String name) {
    this.broker = broker;
    this.name = name;
  }

  @Override
  public Future<?> start() {
    return TopicImpl.createMeta(broker, name, new TopicOptions())
      .compose(opts -> vertx.executeBlocking(() -> {
        options = opts;
        configureRing(broker, name, opts);
        ring = broker.hazelcast().getRingbuffer(HazelcastSupport.TOPIC_RING_PREFIX + name);
        return ring.tailSequence();
      }))
      .compose(tail -> {
        lastSeq = tail + 1;
        consumer = vertx.eventBus().localConsumer(TopicImpl.address(name), this::handle);
        return consumer.completion();
      });
  }

  static void configureRing(BrokerImpl broker, String name, TopicOptions options) {
    String ringName = HazelcastSupport.TOPIC_RING_PREFIX + name;
    // Starts from what the member's config says for ferrymq.t.* (backups, split-brain protection).
    RingbufferConfig config = new RingbufferConfig(broker.hazelcast().getConfig().findRingbufferConfig(ringName))
      .setName(ringName)
      .setCapacity(options.getCapacity())
      .setTimeToLiveSeconds((int) options.getTtl().toSeconds());
    config.setBackupCount(Math.max(1, config.getBackupCount()));
    try {
      broker.hazelcast().getConfig().addRingBufferConfig(config);
    } catch (RuntimeException e) {
      LOG.debug("ringbuffer of topic {} already configured: {}", name, e.toString());
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<Object> msg) {
    String op = msg.headers().get("op");
    switch (op == null ? "" : op) {
      case "publish" -> {
        pending.add(msg);
        flush();
      }
      case "info" -> msg.reply(new JsonObject().put("lastSeq", lastSeq).put("options", options.toJson()));
      case "configure" -> {
        options = new TopicOptions((JsonObject) msg.body());
        msg.reply(null);
      }
      default -> msg.fail(400, "unknown operation " + op);
    }
  }

  private void flush() {
    if (writing || pending.isEmpty()) {
      return;
    }
    List<Message<Object>> batch = pending;
    pending = new ArrayList<>();
    writing = true;
    List<byte[]> items = new ArrayList<>(batch.size());
    for (Message<Object> m : batch) {
      items.add(((Buffer) m.body()).getBytes());
    }
    Future.fromCompletionStage(ring.addAllAsync(items, OverflowPolicy.OVERWRITE), context).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        long first = ar.result() + 2 - items.size();
        lastSeq = ar.result() + 1;
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).reply(first + i);
        }
        Buffer encoded = TopicBatch.encode(items);
        DeliveryOptions live = new DeliveryOptions().addHeader("first", Long.toString(first));
        for (var member : broker.hazelcast().getCluster().getMembers()) {
          broker.sendTo(member.getUuid().toString(), TopicImpl.liveAddress(name), encoded, live);
        }
      } else {
        batch.forEach(m -> Failures.reply(m, new UnavailableException("message not stored: " + ar.cause())));
      }
      flush();
    });
  }
}
