package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Queue;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /queues/:queue/deliveries?prefetch=&visibility=&ack=}: a push consumer as SSE. Each delivery is
 * {@code id: <leaseId>}, {@code event: delivery}, data = the delivery JSON; the client settles it over
 * {@code POST .../leases/:lease/ack}. When the connection goes, the consumer is closed and its leases return at once.
 * With {@code ack=auto} deliveries leave the queue as they are sent (at-most-once, no lease, no {@code id:}).
 */
final class DeliveryStream {

  /** Unsettled deliveries per SSE consumer unless {@code ?prefetch=} says otherwise. */
  static final int DEFAULT_PREFETCH = 10;

  private final Broker broker;
  private final GatewayOptions options;

  DeliveryStream(Broker broker, GatewayOptions options) {
    this.broker = broker;
    this.options = options;
  }

  void handle(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    ConsumerOptions consumer = new ConsumerOptions()
      .setPrefetch(Params.integer(ctx, "prefetch", DEFAULT_PREFETCH, 1, ConsumerOptions.MAX_PREFETCH))
      .setVisibilityTimeout(Params.duration(ctx, "visibility", null))
      .setAutoAck(Params.autoAck(ctx));
    SseStream stream = SseStream.open(ctx, options);
    queue.consumer(consumer, d -> stream.send(Json.deliveryEvent(d)))
      .onSuccess(c -> stream.onClose(c::close))
      .onFailure(stream::endWith);
  }
}
