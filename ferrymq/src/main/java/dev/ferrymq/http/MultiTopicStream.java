package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.Position;
import dev.ferrymq.Subscription;
import dev.ferrymq.Topic;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /events?topic=a&topic=b}: several topics in one SSE stream. Each event's data is the message's JSON form
 * (with {@code "topic"} and {@code "seq"}); its id is the position in every topic of the stream, {@code a:12,b:7}, so a
 * {@code Last-Event-ID} resumes each topic where it stopped.
 */
final class MultiTopicStream {

  private final Broker broker;
  private final GatewayOptions options;

  MultiTopicStream(Broker broker, GatewayOptions options) {
    this.broker = broker;
    this.options = options;
  }

  void handle(RoutingContext ctx) {
    List<String> names = topics(ctx, options.getMaxTopicsPerStream());
    Map<String, Long> resume = parseId(ctx.request().getHeader("Last-Event-ID"));
    Position from = Position.parse(Params.query(ctx, "from"));
    SseStream stream = SseStream.open(ctx, options);
    Map<String, Long> positions = new LinkedHashMap<>();
    List<Future<Long>> starts = new ArrayList<>();
    for (String name : names) {
      Long seen = resume.get(name);
      starts.add(TopicStream.resolve(broker.topic(name), seen != null ? Position.after(seen) : from));
    }
    Future.all(starts).compose(all -> {
      for (int i = 0; i < names.size(); i++) {
        positions.put(names.get(i), all.<Long>resultAt(i));
      }
      stream.id(formatId(positions));
      List<Future<Subscription>> subs = new ArrayList<>();
      for (String name : names) {
        Topic topic = broker.topic(name);
        subs.add(topic.subscribe(Position.after(positions.get(name)), m -> {
          positions.put(name, m.seq());
          stream.event(formatId(positions), "message", m.toJson().encode());
        }, gap -> stream.event(null, "gap", new io.vertx.core.json.JsonObject().put("topic", name)
          .put("requested", gap.requested()).put("oldest", gap.oldest()).encode()))
          .onSuccess(sub -> stream.onClose(sub::close)));
      }
      return Future.all(subs);
    }).onFailure(stream::endWith);
  }

  /** @return the topics named by {@code ?topic=} (repeated or comma-separated), checked */
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
        names.add(Names.check(n));
      }
    }
    if (names.isEmpty() || names.size() > max) {
      throw new InvalidRequestException("name 1 to " + max + " topics with ?topic=");
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
        out.put(Names.check(part.substring(0, Math.max(colon, 0))), seq);
      } catch (RuntimeException e) {
        throw new InvalidRequestException("Last-Event-ID must look like topic:seq,topic:seq on this stream");
      }
    }
    return out;
  }
}
