package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.OptionsJson;
import dev.ferrymq.Page;
import dev.ferrymq.Position;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicOptions;
import dev.ferrymq.TopicStats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** Topic routes that answer at once: publish, history, list, stats, configuration and delete. */
final class TopicHandlers {

  /** The fields of {@code GET /topics/:topic} beside its {@code "options"}. */
  private static final Set<String> GET_FIELDS = OptionsBody.fieldsOf(TopicStats.class);

  private final Broker broker;

  TopicHandlers(Broker broker) {
    this.broker = broker;
  }

  private Topic topic(RoutingContext ctx) {
    return broker.topic(Params.name(ctx, "topic"));
  }

  /**
   * {@code POST /topics/:topic/messages} → 201 {@code {"topic","seq","id"}}, with {@code "partition"} on a partitioned
   * topic (whose {@code seq} counts within it); partition key by {@code Ferry-Key}.
   */
  void publish(RoutingContext ctx) {
    Topic topic = topic(ctx);
    topic.publishForResult(BodyReader.body(ctx), Params.contentType(ctx.request()),
        Params.withPartitionKey(ctx.request(), Params.appHeaders(ctx.request())))
      .onSuccess(r -> {
        Buffer json = JsonBytes.string(Buffer.buffer(96).appendString("{\"topic\":"), topic.name())
          .appendString(",\"seq\":").appendString(Long.toString(r.seq())).appendString(",\"id\":");
        Json.send(ctx, 201, JsonBytes.string(json, r.id())
          .appendString(r.partition() < 0 ? "}" : ",\"partition\":" + r.partition() + "}"));
      })
      .onFailure(ctx::fail);
  }

  /** {@code GET /topics/:topic/messages?from=&limit=} → 200 array of messages, oldest first. */
  void history(RoutingContext ctx) {
    Topic topic = topic(ctx);
    String from = Params.query(ctx, "from");
    Position position = from == null ? Position.EARLIEST : Position.parse(from);
    int limit = Params.integer(ctx, "limit", 100, 1, 1000);
    topic.history(position, limit)
      .onSuccess(list -> Json.send(ctx, 200, messages(list)))
      .onFailure(ctx::fail);
  }

  private static JsonArray messages(List<TopicMessage> list) {
    JsonArray out = new JsonArray();
    list.forEach(m -> out.add(m.toJson()));
    return out;
  }

  /**
   * {@code GET /topics?limit=&after=} → 200 {@code {"topics":[…],"next"}}: each topic as {@link #get} shows it,
   * sorted by name; {@code next} is the {@code after} of the next page, {@code null} on the last.
   */
  void list(RoutingContext ctx) {
    int limit = Params.integer(ctx, "limit", Page.DEFAULT_LIMIT, 1, Page.MAX_LIMIT);
    broker.topics(Params.after(ctx), limit).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(t -> items.add(t.toJson()));
      Json.send(ctx, 200, new JsonObject().put("topics", items).put("next", page.next()));
    }).onFailure(ctx::fail);
  }

  /** {@code GET /topics/:topic} → 200 stats. */
  void get(RoutingContext ctx) {
    topic(ctx).stats().onSuccess(s -> Json.send(ctx, 200, s.toJson())).onFailure(ctx::fail);
  }

  /**
   * {@code PUT /topics/:topic} with options JSON, at top level or under {@code "options"} as {@link #get} answers →
   * 200 stats; 409 when capacity or TTL differ from the topic's.
   */
  void put(RoutingContext ctx) {
    Topic topic = topic(ctx);
    TopicOptions options = OptionsJson.topic(OptionsBody.of(Json.object(ctx), GET_FIELDS));
    topic.configure(options).compose(v -> topic.stats())
      .onSuccess(s -> Json.send(ctx, 200, s.toJson()))
      .onFailure(ctx::fail);
  }

  /** {@code DELETE /topics/:topic} → 204: the topic, its history and options are gone; 404 when it does not exist. */
  void delete(RoutingContext ctx) {
    topic(ctx).delete().onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
