package dev.ferrymq.queue;

import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.QueueConsumer;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer: an event-bus address the owner sends deliveries to. An auto-ack consumer gives its window back to
 * the owner in steps of a quarter of its prefetch, as its handler takes deliveries.
 */
final class QueueConsumerImpl implements QueueConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumerImpl.class);

  private final QueueImpl queue;
  private final Handler<Delivery> handler;
  private final boolean autoAck;
  private final int creditStep;
  private final String id = Envelope.newId();
  /** Auto-ack: deliveries handled since the consumer started, and the total last told to the owner. */
  private long taken;
  private long credited;
  private MessageConsumer<Buffer> consumer;
  private boolean closed;
  private long heartbeat = -1;

  QueueConsumerImpl(QueueImpl queue, Handler<Delivery> handler, ConsumerOptions options) {
    this.queue = queue;
    this.handler = handler;
    this.autoAck = options.isAutoAck();
    this.creditStep = Math.max(1, options.getPrefetch() / 4);
  }

  @Override
  public String id() {
    return id;
  }

  String address() {
    return "ferrymq.consumer." + id;
  }

  /** Registers the local address deliveries arrive on, and a heartbeat that keeps the owner aware of it. */
  Future<Void> register(io.vertx.core.json.JsonObject registration, long heartbeatMs) {
    // The heartbeat repeats the credit total: a credit call that got lost costs the window nothing for long.
    heartbeat = queue.vertx().setPeriodic(heartbeatMs, id -> queue.heartbeat(autoAck
      ? registration.copy().put("taken", taken) : registration));
    consumer = queue.vertx().eventBus().localConsumer(address(), msg -> {
      if ("closed".equals(msg.headers().get("op"))) {
        unregister();
        return;
      }
      List<Delivery> deliveries = Deliveries.decode(msg.body(), queue, autoAck);
      for (Delivery d : deliveries) {
        try {
          handler.handle(d);
        } catch (RuntimeException e) {
          // The lease stays; it comes back after its visibility timeout, as with a crashed consumer (auto-ack: lost).
          LOG.warn("consumer of queue {} threw on {}", queue.name(), d, e);
        }
      }
      if (autoAck && !closed) {
        taken += deliveries.size();
        if (taken - credited >= creditStep) {
          queue.credit(id, taken);
          credited = taken;
        }
      }
    });
    return consumer.completion();
  }

  Future<Void> unregister() {
    closed = true;
    queue.vertx().cancelTimer(heartbeat);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    return unregister().compose(v -> queue.cancel(id));
  }
}
