package dev.ferrymq.http;

import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.mercure.MercureLog;
import dev.ferrymq.mercure.Update;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /.well-known/mercure}: a Mercure publish, form-encoded ({@code topic} one or more, the first canonical;
 * {@code data}, {@code id}, {@code type}, {@code retry}, {@code private}). Needs a publisher token whose
 * {@code mercure.publish} selectors match every topic; answers 200 {@code text/plain} with the update's id once the
 * update is in the hub's replicated log.
 */
final class MercurePublish {

  /** Most topics one update may carry. */
  static final int MAX_TOPICS = 100;

  private final MercureLog log;
  private final MercureGate gate;

  MercurePublish(MercureLog log, MercureGate gate) {
    this.log = log;
    this.gate = gate;
  }

  void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      Problems.send(ctx.response(), 415, "unsupported-media-type", "a Mercure update is sent form-encoded "
        + "(Content-Type: application/x-www-form-urlencoded)", ctx.request());
      return;
    }
    Update update = parse(BodyReader.body(ctx).toString(StandardCharsets.UTF_8));
    gate.claims(ctx, true, claims -> {
      if (claims == null) {
        gate.unauthorized(ctx, "a publisher token is required to publish");
      } else if (!claims.canPublish(update.topics())) {
        Problems.send(ctx.response(), 403, "forbidden", "the token's mercure.publish claim does not cover every "
          + "topic of this update", ctx.request());
      } else {
        log.append(update).onSuccess(seq -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(update.id())).onFailure(ctx::fail);
      }
    });
  }

  /** @return the update the form describes, with a generated {@code urn:uuid:} id when it names none */
  static Update parse(String body) {
    Map<String, List<String>> form;
    try {
      form = new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("the form body is malformed (bad percent-encoding)");
    }
    List<String> topics = form.getOrDefault("topic", List.of()).stream().filter(t -> !t.isEmpty()).toList();
    if (topics.isEmpty()) {
      throw new InvalidRequestException("a Mercure update needs at least one topic field");
    }
    if (topics.size() > MAX_TOPICS) {
      throw new InvalidRequestException("a Mercure update may have at most " + MAX_TOPICS + " topics");
    }
    String id = first(form, "id");
    if (id == null || id.isEmpty()) {
      id = "urn:uuid:" + UUID.randomUUID();
    } else if (id.equals("earliest") || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0) {
      throw new InvalidRequestException("the id must not be \"earliest\" nor hold a line break or NUL");
    }
    String type = first(form, "type");
    if (type != null && (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0)) {
      throw new InvalidRequestException("the type must not hold a line break");
    }
    if (type != null && type.isEmpty()) {
      type = null;
    }
    String retry = first(form, "retry");
    Long retryMs = null;
    if (retry != null && !retry.isEmpty()) {
      try {
        retryMs = Long.parseLong(retry);
      } catch (NumberFormatException e) {
        retryMs = -1L;
      }
      if (retryMs < 0) {
        throw new InvalidRequestException("retry must be a whole number of milliseconds");
      }
    }
    String data = first(form, "data");
    return new Update(topics, id, type, retryMs, form.containsKey("private"), data == null ? "" : data);
  }

  private static String first(Map<String, List<String>> form, String key) {
    List<String> v = form.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
