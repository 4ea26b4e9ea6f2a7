package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.PatternSubscription;
import dev.ferrymq.Position;
import dev.ferrymq.SubscribeOptions;
import dev.ferrymq.TopicPattern;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code GET /events?topic=a&topic=orders.*}: several topics in one SSE stream, named or matched by patterns
 * ({@link TopicPattern}: {@code orders.*}, {@code orders.>}); topics that match and are created later, on any node,
 * join the stream. Each event's data is the message's JSON form (with {@code "topic"} and {@code "seq"}); its id is
 * the position in every topic the stream follows, {@code a:12,orders.eu:7}, so a {@code Last-Event-ID} resumes each
 * topic where it stopped (and starts the matching topics it does not name from the beginning of their history).
 */
final class MultiTopicStream {

  private final Broker broker;
  private final GatewayOptions options;
  /** The Mercure hub's log topic, which patterns must not reach, or {@code null} without a hub. */
  private final HubTopicGuard hub;

  MultiTopicStream(Broker broker, GatewayOptions options, HubTopicGuard hub) {
    this.broker = broker;
    this.options = options;
    this.hub = hub;
  }

  void handle(RoutingContext ctx) {
    List<String> patterns = topics(ctx, options.getMaxTopicsPerStream());
    Map<String, Long> resume = parseId(ctx.request().getHeader("Last-Event-ID"));
    SubscribeOptions subscribe = new SubscribeOptions().setFrom(Position.parse(Params.query(ctx, "from")))
      .setPositions(resume).setMaxTopics(options.getMaxMatchedTopicsPerStream());
    SseStream stream = SseStream.open(ctx, options);
    PatternSubscription[] sub = new PatternSubscription[1];
    // Until the subscription is known (history may flow before every topic has started), ids name what was seen.
    Map<String, Long> seen = new TreeMap<>(resume);
    broker.subscribe(patterns, subscribe, m -> {
      if (hub != null && hub.excludes(m.topic())) {
        return;
      }
      seen.put(m.partition() < 0 ? m.topic() : Names.partition(m.topic(), m.partition()), m.seq());
      stream.event(formatId(visible(sub[0] != null ? sub[0].positions() : seen)), "message", m.toJson().encode());
    }, gap -> {
      if (hub == null || !hub.excludes(gap.topic())) {
        stream.event(null, "gap", new JsonObject().put("topic", gap.topic()).put("requested", gap.requested())
          .put("oldest", gap.oldest()).encode());
      }
    })
      .onSuccess(s -> {
        sub[0] = s;
        // An id before any event: a client that reconnects before its first message still resumes from here.
        stream.id(formatId(visible(s.positions())));
        stream.onClose(s::close);
      })
      .onFailure(stream::endWith);
  }

  /** @return {@code positions} without the Mercure hub's topic (a pattern may match it; its messages are left out) */
  private Map<String, Long> visible(Map<String, Long> positions) {
    if (hub == null) {
      return positions;
    }
    Map<String, Long> out = new TreeMap<>(positions);
    out.keySet().removeIf(hub::excludes);
    return out;
  }

  /** @return the topics and patterns named by {@code ?topic=} (repeated or comma-separated), checked */
  static List<String> topics(RoutingContext ctx, int max) {
    List<String> raw;
    try {
      raw = ctx.queryParam("topic");
    } catch (RuntimeException e) {
      throw new InvalidRequestException("malformed query string");
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String r : raw) {
      for (String n : r.split(",", -1)) {
        boolean wildcard = n.indexOf('*') >= 0 || n.indexOf('>') >= 0;
        names.add(wildcard ? new TopicPattern(n).text() : Names.check(n));
      }
    }
    if (names.isEmpty() || names.size() > max) {
      throw new InvalidRequestException("name 1 to " + max + " topics or patterns with ?topic=");
    }
    return new ArrayList<>(names);
  }

  static String formatId(Map<String, Long> positions) {
    return positions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  static Map<String, Long> parseId(String id) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (id == null || id.isBlank()) {
      return out;
    }
    for (String part : id.trim().split(",")) {
      int colon = part.lastIndexOf(':');
      try {
        long seq = Long.parseLong(part.substring(colon + 1));
        if (seq < 0) {
          throw new NumberFormatException();
        }
        String topic = part.substring(0, Math.max(colon, 0));
        if (!Names.validOrPartition(topic)) { // a partition of a partitioned topic: topic~i
          throw new NumberFormatException();
        }
        out.put(topic, seq);
      } catch (RuntimeException e) {
        throw new InvalidRequestException("Last-Event-ID must look like topic:seq,topic:seq on this stream");
      }
    }
    return out;
  }
}
