package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.Durations;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.OptionsJson;
import dev.ferrymq.Page;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.QueueStats;
import dev.ferrymq.SendOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Queue routes that answer at once: send, list, stats, configuration, delete, purge, dead letters. */
final class QueueHandlers {

  /** The fields of {@code GET /queues/:queue} beside its {@code "options"}. */
  private static final Set<String> GET_FIELDS = OptionsBody.fieldsOf(QueueStats.class, "depth");

  private final Broker broker;

  QueueHandlers(Broker broker) {
    this.broker = broker;
  }

  static Queue queue(Broker broker, RoutingContext ctx) {
    return broker.queue(Params.name(ctx, "queue"));
  }

  /**
   * {@code POST /queues/:queue/messages} → 201 {@code {"queue","id"}}, or 200 with the first id when the
   * {@code Idempotency-Key} was seen within the window. Delay by {@code Ferry-Delay} header or {@code ?delay=}, expiry
   * by {@code Ferry-TTL} or {@code ?ttl=}; partition key by {@code Ferry-Key}.
   */
  void send(RoutingContext ctx) {
    Queue queue = queue(broker, ctx);
    SendOptions options = new SendOptions().setContentType(Params.contentType(ctx.request()))
      .putHeaders(Params.appHeaders(ctx.request()))
      .setIdempotencyKey(ctx.request().getHeader("Idempotency-Key"));
    String key = Params.partitionKey(ctx.request());
    if (key != null) {
      options.setPartitionKey(key);
    }
    String delay = ctx.request().getHeader("Ferry-Delay");
    if (delay == null) {
      delay = Params.query(ctx, "delay");
    }
    if (delay != null) {
      options.setDelay(Durations.parse(delay, "delay"));
    }
    String ttl = ctx.request().getHeader("Ferry-TTL");
    if (ttl == null) {
      ttl = Params.query(ctx, "ttl");
    }
    if (ttl != null) {
      options.setTtl(Durations.parse(ttl, "ttl"));
    }
    queue.sendForResult(BodyReader.body(ctx), options)
      .onSuccess(r -> {
        Buffer json = JsonBytes.string(Buffer.buffer(96).appendString("{\"queue\":"), queue.name())
          .appendString(",\"id\":");
        Json.send(ctx, r.duplicate() ? 200 : 201, JsonBytes.string(json, r.id())
          .appendString(r.duplicate() ? ",\"duplicate\":true}" : ",\"duplicate\":false}"));
      })
      .onFailure(ctx::fail);
  }

  /**
   * {@code GET /queues?limit=&after=} → 200 {@code {"queues":[…],"next"}}: each queue as {@link #get} shows it,
   * with {@code "kind"} ({@code queue} or {@code dead-letter}, the latter with {@code "deadLetterQueueOf"}), sorted
   * by name; {@code next} is the {@code after} of the next page, {@code null} on the last.
   */
  void list(RoutingContext ctx) {
    int limit = Params.integer(ctx, "limit", Page.DEFAULT_LIMIT, 1, Page.MAX_LIMIT);
    broker.queues(Params.after(ctx), limit).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(q -> items.add(q.toJson()));
      Json.send(ctx, 200, new JsonObject().put("queues", items).put("next", page.next()));
    }).onFailure(ctx::fail);
  }

  /** {@code GET /queues/:queue} → 200 stats with {@code depth} and {@code options}. */
  void get(RoutingContext ctx) {
    describe(queue(broker, ctx)).onSuccess(json -> Json.send(ctx, 200, json)).onFailure(ctx::fail);
  }

  private static Future<JsonObject> describe(Queue queue) {
    return queue.stats().compose(s -> queue.options().map(o -> s.toJson().put("depth", s.depth())
      .put("options", o.toJson())));
  }

  /**
   * {@code PUT /queues/:queue} with (part of) the options JSON, at top level or under {@code "options"} as
   * {@link #get} answers → 200 as {@link #get}; fields given are changed, others kept.
   */
  void put(RoutingContext ctx) {
    Queue queue = queue(broker, ctx);
    JsonObject changes = OptionsBody.of(Json.object(ctx), GET_FIELDS);
    OptionsJson.queue(new QueueOptions(), changes); // refuses a bad body before anything else
    // A queue that does not exist yet starts from the defaults: PUT creates it.
    queue.options().recover(e -> e instanceof NotFoundException ? Future.succeededFuture(new QueueOptions())
        : Future.failedFuture(e))
      .compose(o -> queue.configure(OptionsJson.queue(o, changes))).compose(v -> describe(queue))
      .onSuccess(json -> Json.send(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  /** {@code DELETE /queues/:queue} → 204. */
  void delete(RoutingContext ctx) {
    queue(broker, ctx).delete().onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** {@code POST /queues/:queue/purge} → 200 {@code {"purged":n}}. */
  void purge(RoutingContext ctx) {
    queue(broker, ctx).purge().onSuccess(n -> Json.send(ctx, 200, new JsonObject().put("purged", n)))
      .onFailure(ctx::fail);
  }

  /** {@code GET /queues/:queue/dead-letters?limit=} → 200 array of messages, oldest first. */
  void deadLetters(RoutingContext ctx) {
    int limit = Params.integer(ctx, "limit", 100, 1, 1000);
    queue(broker, ctx).peekDeadLetters(limit).onSuccess(list -> Json.send(ctx, 200, Json.deliveries(list)))
      .onFailure(ctx::fail);
  }

  /** {@code POST /queues/:queue/dead-letters/redrive?max=} → 200 {@code {"redriven":n}}. */
  void redrive(RoutingContext ctx) {
    int max = Params.integer(ctx, "max", 1000, 1, 1_000_000);
    queue(broker, ctx).redrive(max).onSuccess(n -> Json.send(ctx, 200, new JsonObject().put("redriven", n)))
      .onFailure(ctx::fail);
  }
}
