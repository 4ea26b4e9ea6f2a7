package dev.ferrymq.broker;

import dev.ferrymq.cluster.NodeEndpoint;
import dev.ferrymq.topic.Fanouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subscribers of each topic across the cluster ({@code ClusterInfo.subscribers}): subscriptions live on the nodes
 * their clients use, so every member's endpoint answers its own node's counts and the asker sums them.
 */
final class SubscriberCounts {

  /** The endpoint target a member answers with its counts. */
  static final String TARGET = "subscribers";
  private static final long ASK_TIMEOUT_MS = 2000;

  private SubscriberCounts() {
  }

  /** Lets {@code endpoint} answer other members with the counts of {@code fanouts}. */
  static void answer(NodeEndpoint endpoint, Fanouts fanouts) {
    endpoint.answer(TARGET, msg -> msg.reply(fanouts.counts()));
  }

  /** @return the sums over the members {@code nodeIds} that answer within 2 s; the others are left out */
  static Future<Map<String, Integer>> total(Vertx vertx, List<String> nodeIds) {
    List<Future<JsonObject>> asks = new ArrayList<>();
    for (String id : nodeIds) {
      asks.add(vertx.eventBus().<JsonObject>request(NodeEndpoint.address(id), null, new DeliveryOptions()
        .setSendTimeout(ASK_TIMEOUT_MS).addHeader(NodeEndpoint.TO, TARGET)).map(m -> m.body()));
    }
    return Future.join(asks).transform(ar -> {
      Map<String, Integer> sums = new TreeMap<>();
      for (Future<JsonObject> f : asks) {
        if (f.succeeded()) {
          f.result().forEach(e -> sums.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
        }
      }
      return Future.succeededFuture(sums);
    });
  }
}
