package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Position;
import dev.ferrymq.mercure.MercureClaims;
import dev.ferrymq.mercure.MercureLog;
import dev.ferrymq.mercure.TopicSelector;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /.well-known/mercure?topic=…}: a Mercure subscription as SSE. The selectors ({@code topic}, or
 * {@code match} as newer revisions call it) filter the hub's log; private updates also need the token's
 * {@code mercure.subscribe}. It starts after {@code Last-Event-ID} (header) or {@code lastEventID} (query;
 * {@code earliest}: all history) and reports where in {@code Last-Event-ID} / {@code Mercure-Last-Event-ID}.
 */
final class MercureSubscribe {

  /** Most selectors one subscription may name. */
  static final int MAX_SELECTORS = 100;

  private final MercureLog log;
  private final MercureGate gate;
  private final boolean anonymous;
  private final StreamLimiter streams;
  private final GatewayOptions options;
  /** {@code null} when subscription events are off. */
  private final MercureSubscriptions subscriptions;

  MercureSubscribe(MercureLog log, MercureGate gate, boolean anonymous, StreamLimiter streams,
                   GatewayOptions options, MercureSubscriptions subscriptions) {
    this.subscriptions = subscriptions;
    this.log = log;
    this.gate = gate;
    this.anonymous = anonymous;
    this.streams = streams;
    this.options = options;
  }

  void handle(RoutingContext ctx) {
    List<TopicSelector> selectors = selectors(ctx);
    String lastEventId = lastEventId(ctx);
    gate.claims(ctx, false, token -> {
      if (token == null && !anonymous) {
        gate.unauthorized(ctx, "a subscriber token is required (this hub lets no anonymous subscriber in)");
        return;
      }
      MercureClaims claims = token == null ? MercureClaims.NONE : token;
      if (!streams.acquire(MercureGate.client(ctx), ctx)) {
        ctx.response().putHeader("Retry-After", "1");
        Problems.send(ctx.response(), 429, "too-many-streams", "this client has too many event streams open",
          ctx.request());
        return;
      }
      log.start(lastEventId).onFailure(e -> {
        StreamLimiter.release(ctx);
        SseStream.fail(ctx, options, e);
      }).onSuccess(start -> stream(ctx, selectors, claims, start));
    });
  }

  private void stream(RoutingContext ctx, List<TopicSelector> selectors, MercureClaims claims, MercureLog.Start start) {
    ctx.response().putHeader("Last-Event-ID", start.lastEventId())
      .putHeader("Mercure-Last-Event-ID", start.lastEventId());
    SseStream stream = SseStream.open(ctx, options);
    log.topic().subscribe(Position.after(start.afterSeq()), m -> {
      MercureLog.Decoded d = log.decode(m);
      if (d.update() != null && claims.canReceive(d.update(), selectors)) {
        stream.send(d.sse());
      }
    }, gap -> stream.comment("updates " + gap.requested() + " to " + (gap.oldest() - 1) + " are no longer in history"))
      .onSuccess(sub -> {
        stream.onClose(sub::close);
        if (subscriptions != null && !stream.closed()) {
          String subscriber = MercureSubscriptions.newSubscriber();
          subscriptions.publish(subscriber, selectors, claims, true);
          stream.onClose(() -> subscriptions.publish(subscriber, selectors, claims, false));
        }
      })
      .onFailure(stream::endWith);
  }

  static List<TopicSelector> selectors(RoutingContext ctx) {
    List<String> raw = new ArrayList<>();
    try {
      raw.addAll(ctx.queryParam("topic"));
      raw.addAll(ctx.queryParam("match"));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("malformed query string");
    }
    if (raw.isEmpty()) {
      throw new InvalidRequestException("name at least one topic selector with ?topic=");
    }
    if (raw.size() > MAX_SELECTORS) {
      throw new InvalidRequestException("a subscription may name at most " + MAX_SELECTORS + " topic selectors");
    }
    List<TopicSelector> out = new ArrayList<>();
    for (String r : raw) {
      out.add(TopicSelector.of(r));
    }
    return out;
  }

  private static String lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    for (String name : List.of("lastEventID", "last_event_id", "Last-Event-ID")) {
      String q = Params.query(ctx, name);
      if (q != null && !q.isEmpty()) {
        return q;
      }
    }
    return null;
  }
}
