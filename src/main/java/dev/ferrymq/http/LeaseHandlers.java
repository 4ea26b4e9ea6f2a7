package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** Pull consumption and settlement: {@code POST /queues/:queue/leases} and {@code .../leases/:lease/<action>}. */
final class LeaseHandlers {

  private final Broker broker;

  LeaseHandlers(Broker broker) {
    this.broker = broker;
  }

  /** {@code POST /queues/:queue/leases?max=&wait=&visibility=} → 200 array of deliveries, or 204 when none came. */
  void pull(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    int max = Params.integer(ctx, "max", 1, 1, 1000);
    Duration wait = Params.duration(ctx, "wait", Duration.ZERO);
    Duration visibility = Params.duration(ctx, "visibility", null);
    queue.receive(max, wait, visibility).onSuccess(list -> {
      if (list.isEmpty()) {
        ctx.response().setStatusCode(204).end();
      } else {
        Json.send(ctx, 200, Json.deliveries(list));
      }
    }).onFailure(ctx::fail);
  }

  void ack(RoutingContext ctx) {
    settle(ctx, QueueHandlers.queue(broker, ctx).ack(lease(ctx)));
  }

  /** {@code .../nack?delay=} gives the message back, for redelivery after the delay (default at once). */
  void nack(RoutingContext ctx) {
    settle(ctx, QueueHandlers.queue(broker, ctx).nack(lease(ctx), Params.duration(ctx, "delay", Duration.ZERO)));
  }

  void reject(RoutingContext ctx) {
    settle(ctx, QueueHandlers.queue(broker, ctx).reject(lease(ctx)));
  }

  /** {@code .../extend?visibility=} restarts the lease's timeout (default: the queue's visibility timeout). */
  void extend(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    String lease = lease(ctx);
    Duration visibility = Params.duration(ctx, "visibility", null);
    Future<Duration> v = visibility != null ? Future.succeededFuture(visibility)
      : queue.options().map(QueueOptions::getVisibilityTimeout);
    settle(ctx, v.compose(d -> queue.extend(lease, d)));
  }

  private static String lease(RoutingContext ctx) {
    return ctx.pathParam("lease");
  }

  private static void settle(RoutingContext ctx, Future<Void> f) {
    f.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
