package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Position;
import dev.ferrymq.Topic;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /topics/:topic/events} of a partitioned topic: every event's id is the position in every partition,
 * {@code 0:12,1:7} (as {@link MultiTopicStream} does for several topics, with partition indexes for names), so a
 * {@code Last-Event-ID} resumes each partition where it stopped; partitions it does not name start at {@code ?from=}.
 */
final class PartitionedTopicStream {

  private PartitionedTopicStream() {
  }

  static void handle(RoutingContext ctx, GatewayOptions options, Topic topic, int partitions, String lastEventId,
                     Position from) {
    List<Position> starts = starts(partitions, lastEventId, from);
    SseStream stream = SseStream.open(ctx, options);
    long[] positions = new long[partitions]; // -1: not known yet (a "latest" start before the subscription is up)
    boolean[] sent = {false};
    for (int i = 0; i < partitions; i++) {
      positions[i] = starts.get(i).isLatest() ? -1 : starts.get(i).after();
    }
    topic.subscribe(starts, m -> {
      positions[m.partition()] = m.seq();
      sent[0] = true;
      stream.event(id(positions), "message", SseStream.text(m.payload()));
    }, gap -> stream.event(null, "gap", new JsonObject().put("partition", gap.partition())
      .put("requested", gap.requested()).put("oldest", gap.oldest()).encode()))
      .onSuccess(sub -> {
        List<Long> at = sub.positions();
        for (int i = 0; i < partitions; i++) {
          positions[i] = Math.max(positions[i], at.get(i));
        }
        if (!sent[0]) { // the start, so a client that drops before its first message resumes right
          stream.id(id(positions));
        }
        stream.onClose(sub::close);
      })
      .onFailure(stream::endWith);
  }

  /** @return where each partition starts: after its number in {@code lastEventId}, else at {@code from} */
  private static List<Position> starts(int partitions, String lastEventId, Position from) {
    Map<String, Long> resume = MultiTopicStream.parseId(lastEventId);
    List<Position> starts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      Long seen = resume.remove(Integer.toString(i));
      if (seen == null && !from.isLatest() && from.after() != 0) {
        throw new InvalidRequestException("this topic has " + partitions + " partitions, each numbered on its own:"
          + " ?from= may be earliest or latest; resume with a Last-Event-ID like 0:12,1:7");
      }
      starts.add(seen != null ? Position.after(seen) : from);
    }
    if (!resume.isEmpty()) {
      throw new InvalidRequestException("Last-Event-ID names partitions " + resume.keySet() + " that this topic of "
        + partitions + " partitions does not have");
    }
    return starts;
  }

  static String id(long[] positions) {
    Map<String, Long> known = new LinkedHashMap<>();
    for (int i = 0; i < positions.length; i++) {
      if (positions[i] >= 0) {
        known.put(Integer.toString(i), positions[i]);
      }
    }
    return MultiTopicStream.formatId(known);
  }
}
