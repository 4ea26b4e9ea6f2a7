package dev.ferrymq.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one destination on this node, all with the label {@code label="name"}: registered while its owner (or
 * its local subscribers) lives here, removed together by {@link #close()}. Over the cap it registers nothing.
 */
public final class Destination implements AutoCloseable {

  private final Meters meters;
  private final MeterRegistry registry;
  private final String label;
  private final String name;
  private final List<Meter> registered = new ArrayList<>();
  private boolean closed;

  Destination(Meters meters, MeterRegistry registry, String label, String name) {
    this.meters = meters;
    this.registry = registry;
    this.label = label;
    this.name = name;
  }

  /** @return whether this destination is reported one by one (it is within the cap) */
  public boolean reported() {
    return registry != null;
  }

  /** Registers a gauge read from {@code source} at each scrape. @return this */
  public <T> Destination gauge(String meterName, String description, T source, ToDoubleFunction<T> value) {
    return gauge(meterName, description, name, source, value);
  }

  /** Registers a gauge of this destination labelled with {@code labelValue} rather than its own name. @return this */
  public <T> Destination gauge(String meterName, String description, String labelValue, T source,
                               ToDoubleFunction<T> value) {
    if (registry != null) {
      replace(meterName, labelValue);
      registered.add(Gauge.builder(meterName, source, value).tag(label, labelValue).description(description)
        .strongReference(true).register(registry));
    }
    return this;
  }

  /** Registers a counter whose total is read from {@code source} at each scrape. @return this */
  public <T> Destination counter(String meterName, String description, T source, ToDoubleFunction<T> total) {
    if (registry != null) {
      replace(meterName, name);
      registered.add(FunctionCounter.builder(meterName, source, total).tag(label, name).description(description)
        .register(registry));
    }
    return this;
  }

  /**
   * Removes a meter of the same name and label that an earlier owner of this destination on this node still holds
   * (it is stopping while this one starts): the registry would otherwise hand this owner the old one back.
   */
  private void replace(String meterName, String labelValue) {
    Meter old = registry.find(meterName).tag(label, labelValue).meter();
    if (old != null) {
      registry.remove(old);
    }
  }

  /** Removes the meters and gives the place back (idempotent). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Meter m : registered) {
      // Only if still ours: a newer owner of this destination may have replaced it already.
      if (registry.find(m.getId().getName()).tags(m.getId().getTags()).meter() == m) {
        registry.remove(m);
      }
    }
    registered.clear();
    meters.released(registry != null);
  }
}
