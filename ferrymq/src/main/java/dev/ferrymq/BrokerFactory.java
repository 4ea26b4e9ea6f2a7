package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ServiceLoader;

/**
 * Service-provider interface behind {@link Broker#create}: the implementation is found with {@link ServiceLoader}, so
 * the API does not depend on it (as Vert.x finds its {@code JsonFactory}). Applications neither call nor implement it.
 */
public interface BrokerFactory {

  /** Starts a broker on {@code vertx} with {@code options} (already copied and checked for null). */
  Future<Broker> create(Vertx vertx, BrokerOptions options);

  /** @return the implementation on the class path */
  static BrokerFactory load() {
    return ServiceLoader.load(BrokerFactory.class, BrokerFactory.class.getClassLoader()).findFirst()
      .orElseThrow(() -> new IllegalStateException("no " + BrokerFactory.class.getName() + " on the class path:"
        + " is META-INF/services of the ferrymq jar missing (a fat jar built without merging services)?"));
  }
}
