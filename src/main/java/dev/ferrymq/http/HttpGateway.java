package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.GatewayOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Builds the gateway's {@link Router}: every route of the HTTP contract on the broker's Java API. */
public final class HttpGateway {

  private HttpGateway() {
  }

  /**
   * @param accepting whether the gateway still takes work (false while stopping: readiness answers 503)
   * @return a router with all routes, mountable as a sub-router
   */
  public static Router router(Vertx vertx, Broker broker, GatewayOptions options, BooleanSupplier accepting) {
    Router router = Router.router(vertx);
    RouteTable routes = new RouteTable(router);
    Problems problems = new Problems(routes);
    BodyReader body = new BodyReader(options.getBodyLimit());
    router.route().handler(body).failureHandler(problems);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, problems.forStatus(status));
    }
    TopicHandlers topics = new TopicHandlers(broker);
    TopicStream topicStream = new TopicStream(broker, options);
    QueueHandlers queues = new QueueHandlers(broker);
    LeaseHandlers leases = new LeaseHandlers(broker);
    DeliveryStream deliveries = new DeliveryStream(broker, options);
    OpenApi openApi = new OpenApi();
    openApi.json();
    HealthHandlers health = new HealthHandlers(broker, accepting, openApi);
    routes
      .add(HttpMethod.GET, "/topics", guard(topics::list))
      .add(HttpMethod.GET, "/topics/:topic", guard(topics::get))
      .add(HttpMethod.PUT, "/topics/:topic", guard(topics::put))
      .add(HttpMethod.POST, "/topics/:topic/messages", guard(topics::publish))
      .add(HttpMethod.GET, "/topics/:topic/messages", guard(topics::history))
      .add(HttpMethod.GET, "/topics/:topic/events", guard(topicStream::handle))
      .add(HttpMethod.GET, "/events", guard(new MultiTopicStream(broker, options)::handle))
      .add(HttpMethod.GET, "/queues", guard(queues::list))
      .add(HttpMethod.GET, "/queues/:queue", guard(queues::get))
      .add(HttpMethod.PUT, "/queues/:queue", guard(queues::put))
      .add(HttpMethod.DELETE, "/queues/:queue", guard(queues::delete))
      .add(HttpMethod.POST, "/queues/:queue/messages", guard(queues::send))
      .add(HttpMethod.POST, "/queues/:queue/purge", guard(queues::purge))
      .add(HttpMethod.GET, "/queues/:queue/dead-letters", guard(queues::deadLetters))
      .add(HttpMethod.POST, "/queues/:queue/dead-letters/redrive", guard(queues::redrive))
      .add(HttpMethod.GET, "/queues/:queue/deliveries", guard(deliveries::handle))
      .add(HttpMethod.POST, "/queues/:queue/leases", guard(leases::pull))
      .add(HttpMethod.POST, "/queues/:queue/acks", guard(leases::ackAll))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/ack", guard(leases::ack))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/nack", guard(leases::nack))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/extend", guard(leases::extend))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/reject", guard(leases::reject))
      .add(HttpMethod.POST, "/requests/:address", guard(new RequestHandler(broker)::handle))
      .add(HttpMethod.GET, "/health/live", health::live)
      .add(HttpMethod.GET, "/health/ready", health::ready)
      .add(HttpMethod.GET, "/cluster", health::cluster)
      .add(HttpMethod.GET, "/openapi.json", health::openApi);
    return router;
  }

  /** A thrown exception becomes a failure of the context (and so a problem), never an unhandled error. */
  private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    };
  }

  /** Answers requests the HTTP codec could not parse (line or headers too long, bad syntax) with a problem. */
  public static void invalidRequest(HttpServerRequest request) {
    var result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status = 400;
    if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
      String msg = String.valueOf(cause.getMessage());
      status = msg.contains("header") ? 431 : 414;
    }
    request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
    Problems.send(request.response(), status, status == 400 ? "bad-request" : status == 431 ? "headers-too-large"
      : "uri-too-long", "the request could not be parsed", null);
  }
}
