package dev.ferrymq.http;

import dev.ferrymq.Broker;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** {@code /health/live}, {@code /health/ready} and {@code /openapi.json}. */
final class HealthHandlers {

  private final Broker broker;
  private final BooleanSupplier accepting;
  private final OpenApi openApi;

  HealthHandlers(Broker broker, BooleanSupplier accepting, OpenApi openApi) {
    this.broker = broker;
    this.accepting = accepting;
    this.openApi = openApi;
  }

  /** 200 while the process serves HTTP at all. */
  void live(RoutingContext ctx) {
    Json.send(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /**
   * 200 when the gateway accepts work and the broker is ready (joined, partitions safe, members answer); else 503. The
   * memory alarm shows in the details ({@code "memory"}) but leaves the node ready: it refuses queue sends only, while
   * consumers drain the backlog, as RabbitMQ's memory alarm blocks publishers only.
   */
  void ready(RoutingContext ctx) {
    if (!accepting.getAsBoolean()) {
      notReady(ctx, "the gateway is stopping");
      return;
    }
    broker.ready().timeout(10, java.util.concurrent.TimeUnit.SECONDS)
      .onSuccess(v -> Json.send(ctx, 200, new JsonObject().put("status", "UP").put("node", broker.nodeId())
        .put("memory", broker.memory().toJson())))
      .onFailure(e -> notReady(ctx, "not ready: " + e.getMessage()));
  }

  private static void notReady(RoutingContext ctx, String why) {
    ctx.response().putHeader("Retry-After", "1");
    Problems.send(ctx, 503, "not-ready", why);
  }

  /** {@code GET /cluster}: members, safety, and the owner of each queue and topic. */
  void cluster(RoutingContext ctx) {
    broker.cluster().onSuccess(info -> Json.send(ctx, 200, info.toJson())).onFailure(ctx::fail);
  }

  void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(openApi.json());
  }
}
