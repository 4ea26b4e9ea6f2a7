package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.ClusterInfo;
import dev.ferrymq.mercure.MercureClaims;
import dev.ferrymq.mercure.MercureLog;
import dev.ferrymq.mercure.TopicSelector;
import dev.ferrymq.mercure.Update;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mercure's active subscriptions (when {@code mercure.subscriptions} is on): a private update on
 * {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}} each time a subscription opens or closes, and the
 * JSON-LD subscriptions API. The API folds the subscription events of the hub's log (cluster-wide, in its one order)
 * and leaves out those of nodes no longer in the cluster, which could not say that their subscribers left.
 */
final class MercureSubscriptions {

  static final String PREFIX = HttpGateway.MERCURE_PATH + "/subscriptions";
  private static final String NODE = "mercure-node";
  private static final String CONTEXT = "https://mercure.rocks/";

  private final Broker broker;
  private final MercureLog log;
  private final MercureGate gate;

  MercureSubscriptions(Broker broker, MercureLog log, MercureGate gate) {
    this.broker = broker;
    this.log = log;
    this.gate = gate;
  }

  /** @return a new subscriber's id */
  static String newSubscriber() {
    return "urn:uuid:" + UUID.randomUUID();
  }

  /** Publishes one subscription event per selector of a subscriber that opened or closed its stream. */
  void publish(String subscriber, List<TopicSelector> selectors, MercureClaims claims, boolean active) {
    for (TopicSelector s : selectors) {
      String id = PREFIX + "/" + enc(s.text()) + "/" + enc(subscriber);
      JsonObject data = new JsonObject().put("@context", CONTEXT).put("id", id).put("type", "Subscription")
        .put("topic", s.text()).put("subscriber", subscriber).put("active", active);
      if (claims.payload() != null) {
        data.put("payload", claims.payload());
      }
      log.append(new Update(List.of(id), "urn:uuid:" + UUID.randomUUID(), null, null, true, data.encode()),
        Map.of(NODE, broker.nodeId()));
    }
  }

  /** {@code GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]} */
  void handle(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    String subscriber = ctx.pathParam("subscriber");
    String path = PREFIX + (topic == null ? "" : "/" + enc(topic)) + (subscriber == null ? "" : "/" + enc(subscriber));
    gate.claims(ctx, false, claims -> {
      if (claims == null) {
        gate.unauthorized(ctx, "a subscriber token is required");
      } else if (!claims.canSubscribeTo(path)) {
        Problems.send(ctx.response(), 403, "forbidden", "the token's mercure.subscribe claim does not match " + path,
          ctx.request());
      } else {
        Map<String, JsonObject> active = new LinkedHashMap<>();
        Map<String, String> nodes = new LinkedHashMap<>();
        String[] last = {"earliest"};
        log.readAll(m -> {
          Update u = Update.of(m);
          if (u == null) {
            return;
          }
          last[0] = u.id();
          // Only the hub's own events (it names the node) count: a publisher allowed these topics could forge others.
          if (u.privateUpdate() && u.topics().get(0).startsWith(PREFIX + "/") && m.headers().get(NODE) != null) {
            JsonObject s;
            try {
              s = new JsonObject(u.data());
              s.getBoolean("active", false);
              s.getString("id");
            } catch (RuntimeException malformed) {
              return;
            }
            if (s.getString("id") == null) {
              return;
            }
            if (s.getBoolean("active", false)) {
              active.put(s.getString("id"), s);
              nodes.put(s.getString("id"), m.headers().get(NODE));
            } else {
              active.remove(s.getString("id"));
            }
          }
        }).compose(v -> broker.cluster()).onSuccess(cluster -> {
          Set<String> members = cluster.members().stream().map(ClusterInfo.Member::id).collect(Collectors.toSet());
          List<JsonObject> list = active.entrySet().stream().filter(e -> members.contains(nodes.get(e.getKey())))
            .map(Map.Entry::getValue)
            .filter(s -> topic == null || topic.equals(s.getString("topic")))
            .filter(s -> subscriber == null || subscriber.equals(s.getString("subscriber"))).toList();
          answer(ctx, path, topic, subscriber, last[0], list);
        }).onFailure(ctx::fail);
      }
    });
  }

  private static void answer(RoutingContext ctx, String path, String topic, String subscriber, String lastEventId,
                             List<JsonObject> list) {
    JsonObject body;
    if (subscriber != null) {
      if (list.isEmpty()) {
        Problems.send(ctx.response(), 404, "not-found", "no such active subscription", ctx.request());
        return;
      }
      body = list.get(0).copy().put("lastEventID", lastEventId);
    } else {
      body = new JsonObject().put("@context", CONTEXT).put("id", path).put("type", "Subscriptions")
        .put("lastEventID", lastEventId).put("subscriptions", new JsonArray(list.stream()
          .map(s -> (Object) s).toList()));
    }
    ctx.response().putHeader("Content-Type", "application/ld+json").end(body.toBuffer());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
