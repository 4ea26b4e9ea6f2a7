package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Grants.Action;
import dev.ferrymq.Grants;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.MercureOptions;
import dev.ferrymq.mercure.MercureLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Builds the gateway's {@link Router}: every route of the HTTP contract on the broker's Java API. */
public final class HttpGateway {

  /** Where the Mercure hub answers, as the Mercure specification fixes it. */
  static final String MERCURE_PATH = "/.well-known/mercure";

  private HttpGateway() {
  }

  /**
   * Reads the key files of {@link GatewayOptions#getAuth()}: call it off the event loop when they are named.
   *
   * @param accepting whether the gateway still takes work (false while stopping: readiness answers 503)
   * @return a router with all routes, mountable as a sub-router
   */
  public static Router router(Vertx vertx, Broker broker, GatewayOptions options, BooleanSupplier accepting) {
    Router router = Router.router(vertx);
    if (options.isAccessLog()) {
      router.route().handler(AccessLog::handle);
    }
    GatewayMeters meters = broker.meterRegistry() == null ? null : new GatewayMeters(broker.meterRegistry());
    if (meters != null) {
      router.route().handler(meters::track);
    }
    if (!options.getCorsOrigins().isEmpty()) {
      router.route().handler(cors(options));
    }
    router.route().handler(HttpGateway::emptySegment);
    TokenAuth auth = options.getAuth() == null ? null : new TokenAuth(vertx, options.getAuth());
    RateLimiter rate = new RateLimiter(options.getRateLimit(), options.getRateBurst());
    StreamLimiter streams = new StreamLimiter(options.getMaxStreamsPerClient());
    if (meters != null) {
      meters.streams(streams::total);
    }
    Gatekeeper gate = new Gatekeeper(auth, options.getAuth() == null ? Grants.NONE : options.getAuth().getAnonymous(),
      rate, streams);
    MercureOptions mercure = options.getMercure();
    if (mercure.isEnabled() && mercure.isDiscovery()) {
      router.route().handler(HttpGateway::discovery);
    }
    HubTopicGuard hub = mercure.isEnabled() ? new HubTopicGuard(mercure.getTopic()) : null;
    if (hub != null) {
      router.route().handler(hub::handle);
    }
    RouteTable routes = new RouteTable(router, gate, new BodyReader(options.getBodyLimit()));
    Problems problems = new Problems(routes);
    router.route().failureHandler(problems);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, problems.forStatus(status));
    }
    TopicHandlers topics = new TopicHandlers(broker);
    TopicStream topicStream = new TopicStream(broker, options);
    QueueHandlers queues = new QueueHandlers(broker);
    LeaseHandlers leases = new LeaseHandlers(broker);
    BatchHandlers batches = new BatchHandlers(broker);
    DeliveryStream deliveries = new DeliveryStream(broker, options);
    OpenApi openApi = new OpenApi();
    openApi.json();
    HealthHandlers health = new HealthHandlers(broker, accepting, openApi);
    Dashboard dashboard = new Dashboard(options);
    Access topic = Access.to(Action.SUBSCRIBE, "topic");
    Access consume = Access.to(Action.CONSUME, "queue");
    int maxTopics = options.getMaxTopicsPerStream();
    // vertx-web tries routes in order, matching each path pattern: the routes taken once per message come first.
    routes
      .add(HttpMethod.POST, "/queues/:queue/messages", Access.to(Action.PUBLISH, "queue"), guard(queues::send))
      .add(HttpMethod.POST, "/queues/:queue/acks", consume, guard(leases::ackAll))
      .add(HttpMethod.POST, "/topics/:topic/messages", Access.to(Action.PUBLISH, "topic"), guard(topics::publish))
      .add(HttpMethod.POST, "/queues/:queue/messages/batch", Access.to(Action.PUBLISH, "queue"), guard(batches::send))
      .add(HttpMethod.POST, "/topics/:topic/messages/batch", Access.to(Action.PUBLISH, "topic"),
        guard(batches::publish))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/ack", consume, guard(leases::ack))
      .add(HttpMethod.POST, "/requests/:address", Access.to(Action.REQUEST, "address"),
        guard(new RequestHandler(broker)::handle))
      .add(HttpMethod.GET, "/topics", Access.ADMIN, guard(topics::list))
      .add(HttpMethod.GET, "/topics/:topic", topic, guard(topics::get))
      .add(HttpMethod.PUT, "/topics/:topic", Access.ADMIN, guard(topics::put))
      .add(HttpMethod.DELETE, "/topics/:topic", Access.ADMIN, guard(topics::delete))
      .add(HttpMethod.GET, "/topics/:topic/messages", topic, guard(topics::history))
      .add(HttpMethod.GET, "/topics/:topic/events", topic.asStream(), guard(topicStream::handle))
      .add(HttpMethod.GET, "/events", Access.toEach(Action.SUBSCRIBE, ctx -> MultiTopicStream.topics(ctx, maxTopics))
        .asStream(), guard(new MultiTopicStream(broker, options, hub)::handle))
      .add(HttpMethod.GET, "/queues", Access.ADMIN, guard(queues::list))
      .add(HttpMethod.GET, "/queues/:queue", consume, guard(queues::get))
      .add(HttpMethod.PUT, "/queues/:queue", Access.ADMIN, guard(queues::put))
      .add(HttpMethod.DELETE, "/queues/:queue", Access.ADMIN, guard(queues::delete))
      .add(HttpMethod.POST, "/queues/:queue/purge", Access.ADMIN, guard(queues::purge))
      .add(HttpMethod.GET, "/queues/:queue/dead-letters", Access.ADMIN, guard(queues::deadLetters))
      .add(HttpMethod.POST, "/queues/:queue/dead-letters/redrive", Access.ADMIN, guard(queues::redrive))
      .add(HttpMethod.GET, "/queues/:queue/deliveries", consume.asStream(), guard(deliveries::handle))
      .add(HttpMethod.POST, "/queues/:queue/leases", consume, guard(leases::pull))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/nack", consume, guard(leases::nack))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/extend", consume, guard(leases::extend))
      .add(HttpMethod.POST, "/queues/:queue/leases/:lease/reject", consume, guard(leases::reject))
      .add(HttpMethod.GET, "/health/live", Access.OPEN, health::live)
      .add(HttpMethod.GET, "/health/ready", Access.OPEN, health::ready)
      .add(HttpMethod.GET, "/cluster", Access.ADMIN, health::cluster)
      .add(HttpMethod.GET, "/openapi.json", Access.OPEN, health::openApi)
      .add(HttpMethod.GET, "/stats/events", Access.ADMIN.asStream(), guard(new StatsStream(broker, options)::handle))
      .add(HttpMethod.GET, "/", Access.OPEN, dashboard::page)
      .add(HttpMethod.GET, "/dashboard/:file", Access.OPEN, dashboard::file)
      .add(HttpMethod.GET, "/metrics", options.isMetricsOpen() ? Access.OPEN : Access.ADMIN,
        new MetricsHandler(GatewayMeters.prometheus(broker.meterRegistry()))::handle);
    if (mercure.isEnabled()) {
      mountMercure(vertx, broker, options, routes, rate, streams);
    }
    return router;
  }

  /** The Mercure hub's two routes; they judge tokens by Mercure's rules ({@link MercureAuth}), not FerryMQ's. */
  private static void mountMercure(Vertx vertx, Broker broker, GatewayOptions options, RouteTable routes,
                                   RateLimiter rate, StreamLimiter streams) {
    MercureOptions mercure = options.getMercure();
    MercureLog log = new MercureLog(broker, mercure.getTopic(), mercure.getHistorySize());
    MercureAuth auth = new MercureAuth(vertx, mercure, options.getAuth() == null);
    MercureGate gate = new MercureGate(auth, rate);
    MercureSubscriptions subscriptions = mercure.isSubscriptions() ? new MercureSubscriptions(broker, log, gate) : null;
    MercureSubscribe subscribe = new MercureSubscribe(log, gate, mercure.isAnonymous() || auth.open(), streams,
      options, subscriptions);
    routes.add(HttpMethod.POST, MERCURE_PATH, Access.OPEN, guard(new MercurePublish(log, gate)::handle))
      .add(HttpMethod.GET, MERCURE_PATH, Access.OPEN, guard(subscribe::handle));
    if (subscriptions != null) {
      routes.add(HttpMethod.GET, MercureSubscriptions.PREFIX, Access.OPEN, guard(subscriptions::handle))
        .add(HttpMethod.GET, MercureSubscriptions.PREFIX + "/:topic", Access.OPEN, guard(subscriptions::handle))
        .add(HttpMethod.GET, MercureSubscriptions.PREFIX + "/:topic/:subscriber", Access.OPEN,
          guard(subscriptions::handle));
    }
  }

  /** Adds {@code Link: <…/.well-known/mercure>; rel="mercure"} to every response but the hub's own. */
  private static void discovery(RoutingContext ctx) {
    String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint().replaceAll("/+$", "");
    String hub = mount + MERCURE_PATH;
    ctx.addHeadersEndHandler(v -> {
      if (!hub.equals(ctx.request().path())) {
        ctx.response().headers().add("Link", "<" + hub + ">; rel=\"mercure\"");
      }
    });
    ctx.next();
  }

  /**
   * vertx-web folds {@code //} into {@code /} before it matches routes, so {@code POST /queues//messages} (an empty
   * queue name) would reach {@code /queues/:queue} with the queue {@code messages} and answer 405: a path with an
   * empty segment is a 400 that says a name is missing.
   */
  private static void emptySegment(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path != null && path.contains("//")) {
      ctx.fail(new InvalidRequestException("the path has an empty segment: a queue, topic, lease or address name is "
        + "missing"));
    } else {
      ctx.next();
    }
  }

  /** CORS for the configured origins only; credentials (the token cookie) allowed for those, never for {@code *}. */
  private static CorsHandler cors(GatewayOptions options) {
    return CorsHandler.create().addOrigins(options.getCorsOrigins()).allowCredentials(true)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
      .exposedHeaders(Set.of("Retry-After", "WWW-Authenticate", "Allow")).maxAgeSeconds(600);
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
    Refusals.refused(request.remoteAddress(), status, status == 400 ? "a request that could not be parsed"
      : status == 431 ? "request headers over the limit" : "request line over the limit");
    request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
    Problems.send(request.response(), status, status == 400 ? "bad-request" : status == 431 ? "headers-too-large"
      : "uri-too-long", "the request could not be parsed", null);
  }
}
