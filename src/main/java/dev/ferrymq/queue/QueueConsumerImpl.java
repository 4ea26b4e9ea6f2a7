package dev.ferrymq.queue;

import dev.ferrymq.Delivery;
import dev.ferrymq.QueueConsumer;
import dev.ferrymq.broker.BrokerImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A push consumer: an event-bus address the owner sends deliveries to. */
final class QueueConsumerImpl implements QueueConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumerImpl.class);

  private final QueueImpl queue;
  private final Handler<Delivery> handler;
  private final String id = BrokerImpl.newId();
  private MessageConsumer<Buffer> consumer;
  private boolean closed;
  private long heartbeat = -1;

  QueueConsumerImpl(QueueImpl queue, Handler<Delivery> handler) {
    this.queue = queue;
    this.handler = handler;
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
    heartbeat = queue.vertx().setPeriodic(heartbeatMs, id -> queue.heartbeat(registration));
    consumer = queue.vertx().eventBus().localConsumer(address(), msg -> {
      if ("closed".equals(msg.headers().get("op"))) {
        unregister();
        return;
      }
      for (Delivery d : Deliveries.decode(msg.body(), queue)) {
        try {
          handler.handle(d);
        } catch (RuntimeException e) {
          // The lease stays; it comes back after its visibility timeout, as with a crashed consumer.
          LOG.warn("consumer of queue {} threw on {}", queue.name(), d, e);
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
