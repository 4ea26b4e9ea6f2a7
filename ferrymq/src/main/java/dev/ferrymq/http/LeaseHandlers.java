package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.SendOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pull consumption and settlement: {@code POST /queues/:queue/leases}, {@code .../leases/:lease/<action>} and
 * {@code POST /queues/:queue/acks} (many acks in one request).
 */
final class LeaseHandlers {

  /** Most lease ids in one {@code POST /queues/:queue/acks}. */
  static final int MAX_BATCH = 1000;

  private final Broker broker;

  LeaseHandlers(Broker broker) {
    this.broker = broker;
  }

  /**
   * {@code POST /queues/:queue/leases?max=&wait=&visibility=&ack=} → 200 array of deliveries, or 204 when none came;
   * {@code ack=auto}: removed from the queue as they are returned (at-most-once, no leases).
   */
  void pull(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    int max = Params.integer(ctx, "max", 1, 1, 1000);
    Duration wait = Params.duration(ctx, "wait", Duration.ZERO);
    Duration visibility = Params.duration(ctx, "visibility", null);
    boolean autoAck = Params.autoAck(ctx);
    (autoAck ? queue.receiveAutoAck(max, wait) : queue.receive(max, wait, visibility)).onSuccess(list -> {
      if (ctx.response().closed()) {
        // The client left while it waited (a proxy cut the long-poll): give its messages back now rather than
        // after their visibility timeout; auto-acked ones have left the queue, so they are sent to it again.
        list.forEach(d -> {
          if (autoAck) {
            queue.send(d.payload(), new SendOptions().setContentType(d.contentType()).putHeaders(d.headers()));
          } else {
            d.nack(Duration.ZERO);
          }
        });
      } else if (list.isEmpty()) {
        ctx.response().setStatusCode(204).end();
      } else {
        Json.send(ctx, 200, Json.deliveries(list));
      }
    }).onFailure(ctx::fail);
  }

  void ack(RoutingContext ctx) {
    settle(ctx, QueueHandlers.queue(broker, ctx).ack(lease(ctx)));
  }

  /**
   * {@code POST /queues/:queue/acks} with a JSON array of 1–{@value #MAX_BATCH} lease ids → 204 when all were acked.
   * Each is acked on its own; when some fail, a problem with the first failure's status, {@code acked} and
   * {@code failed} ({@code [{"leaseId","status","type"}]}) — the others stay acked.
   */
  void ackAll(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    List<String> ids = leaseIds(ctx);
    List<Future<Void>> acks = new ArrayList<>(ids.size());
    for (String id : ids) {
      acks.add(queue.ack(id));
    }
    Future.join(acks).onComplete(ar -> {
      JsonArray failed = new JsonArray();
      int status = 0;
      for (int i = 0; i < acks.size(); i++) {
        Throwable e = acks.get(i).cause();
        if (e != null) {
          JsonObject item = new JsonObject().put("leaseId", ids.get(i)).mergeIn(Problems.failedItem(e));
          status = status == 0 ? item.getInteger("status") : status;
          failed.add(item);
        }
      }
      if (failed.isEmpty()) {
        ctx.response().setStatusCode(204).end();
      } else {
        Problems.batchFailed(ctx, status, failed.size() + " of " + ids.size()
          + " leases were not acked; the others were", new JsonObject().put("acked", ids.size() - failed.size())
          .put("failed", failed));
      }
    });
  }

  private static List<String> leaseIds(RoutingContext ctx) {
    JsonArray array = Json.array(ctx, "lease ids", MAX_BATCH);
    List<String> ids = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof String s) || s.isEmpty() || s.length() > 100) {
        throw new InvalidRequestException("each lease id must be a string of 1 to 100 characters");
      }
      ids.add(s);
    }
    return ids;
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
