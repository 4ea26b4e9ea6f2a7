package dev.ferrymq.broker;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerFactory;
import dev.ferrymq.BrokerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The {@link BrokerFactory} that {@link Broker#create} finds: starts a {@link BrokerImpl}. */
public final class BrokerFactoryImpl implements BrokerFactory {

  @Override
  public Future<Broker> create(Vertx vertx, BrokerOptions options) {
    return BrokerImpl.start(vertx, options);
  }
}
