package dev.ferrymq.http;

import dev.ferrymq.NotFoundException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the broker's registry in Prometheus text format. Scraped on a worker thread: a node with many
 * destinations has many series to write.
 */
final class MetricsHandler {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  /** @param registry the registry to serve, or {@code null} when the broker reports none in Prometheus form */
  MetricsHandler(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void handle(RoutingContext ctx) {
    if (registry == null) {
      ctx.fail(new NotFoundException("this node exports no Prometheus metrics: give the broker a Prometheus registry"
        + " (BrokerOptions.setMeterRegistry) or run it on a Vert.x with Micrometer's Prometheus metrics on"));
      return;
    }
    ctx.vertx().executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).putHeader("Cache-Control", "no-store").end(ar.result());
      }
    });
  }
}
