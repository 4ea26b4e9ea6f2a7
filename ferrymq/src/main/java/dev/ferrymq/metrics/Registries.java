package dev.ferrymq.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** Finds the registry a broker reports to. */
public final class Registries {

  private static final String BACKENDS = "io.vertx.micrometer.backends.BackendRegistries";

  private Registries() {
  }

  /**
   * @param given the registry the application gave, if any
   * @return {@code given}; else, when {@code vertx} runs with vertx-micrometer-metrics, its default backend registry;
   *     else {@code null}: no metrics
   */
  public static MeterRegistry of(Vertx vertx, MeterRegistry given) {
    if (given != null) {
      return given;
    }
    if (!vertx.isMetricsEnabled()) {
      return null;
    }
    try {
      Class.forName(BACKENDS, false, Registries.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // metrics by another implementation: the application can give its registry
    }
    return VertxBackend.registry();
  }

  /** Only loaded when vertx-micrometer-metrics is on the class path. */
  private static final class VertxBackend {
    static MeterRegistry registry() {
      return io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
    }
  }
}
