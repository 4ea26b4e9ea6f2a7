package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.Durations;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.PublishResult;
import dev.ferrymq.Queue;
import dev.ferrymq.SendOptions;
import dev.ferrymq.SendResult;
import dev.ferrymq.Topic;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code POST /queues/:queue/messages/batch} and {@code POST /topics/:topic/messages/batch}: many messages in one
 * request, a JSON array of {@code {"data","encoding","contentType","headers","key"}} (for queues also
 * {@code "idempotencyKey","delay","ttl"}). The whole body is checked before anything is sent; then every message is
 * sent on its own, in the array's order, and the answer lists each one's outcome in that order.
 */
final class BatchHandlers {

  /** Most messages in one batch. */
  static final int MAX_BATCH = 1000;

  private static final Set<String> TOPIC_MEMBERS = Set.of("data", "encoding", "contentType", "headers", "key");
  private static final Set<String> QUEUE_MEMBERS =
    Set.of("data", "encoding", "contentType", "headers", "idempotencyKey", "delay", "ttl", "key");

  private final Broker broker;

  BatchHandlers(Broker broker) {
    this.broker = broker;
  }

  /** One message of a batch, checked. */
  private record Item(Buffer payload, SendOptions options) {
  }

  /**
   * → 201 {@code {"queue","messages":[{"id","duplicate"}]}} (200 when every message was a duplicate of its
   * idempotency key); when some fail, a problem with the first failure's status, {@code "sent"} and
   * {@code "messages"}, where a failed message is {@code {"status","type","detail"}} — the others were sent.
   */
  void send(RoutingContext ctx) {
    Queue queue = QueueHandlers.queue(broker, ctx);
    List<Item> items = items(ctx, QUEUE_MEMBERS);
    List<Future<SendResult>> sends = new ArrayList<>(items.size());
    for (Item item : items) {
      sends.add(queue.sendForResult(item.payload, item.options));
    }
    Future.join(sends).onComplete(ar -> {
      boolean allDuplicates = sends.stream().allMatch(f -> f.succeeded() && f.result().duplicate());
      answer(ctx, sends, allDuplicates ? 200 : 201, JsonBytes.string(Buffer.buffer(64 + 48 * sends.size())
        .appendString("{\"queue\":"), queue.name()), (out, r) -> JsonBytes.string(out.appendString("{\"id\":"),
        r.id()).appendString(r.duplicate() ? ",\"duplicate\":true}" : ",\"duplicate\":false}"));
    });
  }

  /**
   * → 201 {@code {"topic","messages":[{"seq","id"}]}}; partial failure as for queues. Sequence numbers follow the
   * array's order, though other publishers' messages may fall between them.
   */
  void publish(RoutingContext ctx) {
    Topic topic = broker.topic(Params.name(ctx, "topic"));
    List<Item> items = items(ctx, TOPIC_MEMBERS);
    List<Future<PublishResult>> publishes = new ArrayList<>(items.size());
    for (Item item : items) {
      publishes.add(topic.publishForResult(item.payload, item.options.getContentType(), item.options.getHeaders()));
    }
    Future.join(publishes).onComplete(ar -> answer(ctx, publishes, 201, JsonBytes.string(
      Buffer.buffer(64 + 48 * publishes.size()).appendString("{\"topic\":"), topic.name()), (out, r) ->
      JsonBytes.string(out.appendString("{\"seq\":").appendString(Long.toString(r.seq())).appendString(",\"id\":"),
        r.id()).appendString(r.partition() < 0 ? "}" : ",\"partition\":" + r.partition() + "}")));
  }

  private static <T> void answer(RoutingContext ctx, List<Future<T>> results, int status, Buffer head,
                                 BiConsumer<Buffer, T> member) {
    int failures = 0;
    int failedStatus = 0;
    for (Future<T> f : results) {
      if (f.failed()) {
        failures++;
        failedStatus = failedStatus == 0 ? Problems.statusOf(f.cause(), 500) : failedStatus;
      }
    }
    if (failures == 0) {
      Buffer out = head.appendString(",\"messages\":[");
      for (int i = 0; i < results.size(); i++) {
        if (i > 0) {
          out.appendByte((byte) ',');
        }
        member.accept(out, results.get(i).result());
      }
      Json.send(ctx, status, out.appendString("]}"));
      return;
    }
    JsonArray messages = new JsonArray();
    for (Future<T> f : results) {
      if (f.succeeded()) {
        Buffer one = Buffer.buffer();
        member.accept(one, f.result());
        messages.add(new JsonObject(one));
      } else {
        messages.add(Problems.failedItem(f.cause())
          .put("detail", Problems.truncate(String.valueOf(f.cause().getMessage()), 200)));
      }
    }
    Problems.batchFailed(ctx, failedStatus, failures + " of " + results.size()
      + " messages were not sent; the others were", new JsonObject().put("sent", results.size() - failures)
      .put("messages", messages));
  }

  private static List<Item> items(RoutingContext ctx, Set<String> members) {
    JsonArray array = Json.array(ctx, "messages", MAX_BATCH);
    List<Item> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject m)) {
        throw new InvalidRequestException("message " + i + " must be a JSON object {\"data\": ...}");
      }
      items.add(item(m, i, members));
    }
    return items;
  }

  private static Item item(JsonObject m, int i, Set<String> members) {
    for (String name : m.fieldNames()) {
      if (!members.contains(name)) {
        throw new InvalidRequestException("message " + i + " has an unknown member \"" + Problems.truncate(name, 40)
          + "\"; known: " + members);
      }
    }
    String data = string(m, "data", i);
    if (data == null) {
      throw new InvalidRequestException("message " + i + " needs \"data\": its payload as a string");
    }
    String encoding = string(m, "encoding", i);
    Buffer payload;
    if (encoding == null) {
      payload = Buffer.buffer(data);
    } else if (encoding.equals("base64")) {
      try {
        payload = Buffer.buffer(Base64.getDecoder().decode(data));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("message " + i + ": \"data\" is not valid base64");
      }
    } else {
      throw new InvalidRequestException("message " + i + ": \"encoding\" must be \"base64\" or absent");
    }
    SendOptions options = new SendOptions().setContentType(string(m, "contentType", i))
      .putHeaders(headers(m, i)).setIdempotencyKey(string(m, "idempotencyKey", i));
    String key = string(m, "key", i);
    if (key != null) {
      if (key.isEmpty() || key.length() > 200) {
        throw new InvalidRequestException("message " + i + ": \"key\" must have 1 to 200 characters");
      }
      options.setPartitionKey(key);
    }
    String delay = string(m, "delay", i);
    if (delay != null) {
      options.setDelay(Durations.parse(delay, "message " + i + ": delay"));
    }
    String ttl = string(m, "ttl", i);
    if (ttl != null) {
      options.setTtl(Durations.parse(ttl, "message " + i + ": ttl"));
    }
    return new Item(payload, options);
  }

  private static String string(JsonObject m, String name, int i) {
    Object v = m.getValue(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new InvalidRequestException("message " + i + ": \"" + name + "\" must be a string");
  }

  private static Map<String, String> headers(JsonObject m, int i) {
    Object v = m.getValue("headers");
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof JsonObject h)) {
      throw new InvalidRequestException("message " + i + ": \"headers\" must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : h) {
      if (!(e.getValue() instanceof String s)) {
        throw new InvalidRequestException("message " + i + ": header \"" + Problems.truncate(e.getKey(), 40)
          + "\" must be a string");
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), s);
    }
    return out;
  }
}
