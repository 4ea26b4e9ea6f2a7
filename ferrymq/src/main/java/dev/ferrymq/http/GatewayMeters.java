package dev.ferrymq.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The gateway's meters on the broker's registry: requests refused, by problem type ({@code reason}), open SSE streams
 * and (for the gateway's own server) HTTP connections. Several gateways on one broker add up in the same series.
 */
final class GatewayMeters {

  /** Context key under which the problem type of a refused request is kept until its response head is written. */
  static final String PROBLEM = "ferrymq.problem";
  /** Per registry: what each gauge adds up, one source per gateway. */
  private static final Map<MeterRegistry, Map<String, List<IntSupplier>>> SOURCES =
    java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private final MeterRegistry registry;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final List<Runnable> removals = new CopyOnWriteArrayList<>();

  GatewayMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The first handler of every request: counts it as rejected, by reason, if it is answered with a problem. */
  void track(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      String code = ctx.get(PROBLEM);
      if (code != null) {
        rejected.computeIfAbsent(code, c -> Counter.builder("ferrymq.http.rejected.requests").tag("reason", c)
          .description("Requests answered with a problem (4xx/5xx), by its type").register(registry)).increment();
      }
    });
    ctx.next();
  }

  /** Adds this gateway's open SSE streams to their gauge. */
  void streams(IntSupplier open) {
    add("ferrymq.sse.streams", "Server-sent event streams open on the node's gateways", open);
  }

  /** Adds the gateway server's open HTTP connections to their gauge. */
  void connections(IntSupplier open) {
    add("ferrymq.http.connections", "HTTP connections open on the gateways' own servers", open);
  }

  private void add(String name, String description, IntSupplier source) {
    List<IntSupplier> sources;
    synchronized (SOURCES) {
      sources = SOURCES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
        .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
      sources.add(source);
      Gauge.builder(name, sources, GatewayMeters::sum).description(description).strongReference(true)
        .register(registry);
    }
    removals.add(() -> sources.remove(source));
  }

  private static double sum(List<IntSupplier> sources) {
    int n = 0;
    for (IntSupplier s : sources) {
      n += s.getAsInt();
    }
    return n;
  }

  /** @return the registry in Prometheus form ({@code registry} itself or one in a composite), or {@code null} */
  static PrometheusMeterRegistry prometheus(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry p) {
      return p;
    }
    if (registry instanceof CompositeMeterRegistry c) {
      for (MeterRegistry r : c.getRegistries()) {
        PrometheusMeterRegistry p = prometheus(r);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** Takes this gateway's part out of the gauges (it stopped); they stay, at 0 when it was the only one. */
  void close() {
    removals.forEach(Runnable::run);
    removals.clear();
  }
}
