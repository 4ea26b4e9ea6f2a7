package dev.ferrymq.broker;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds or starts the one owner verticle of a destination and talks to it over the event bus. The owner of
 * {@code address} is deployed on first use; a call that finds no handler (an owner being replaced) is retried once.
 */
public final class Owners {

  private final Vertx vertx;
  private final Map<String, Future<String>> deployments = new ConcurrentHashMap<>();

  Owners(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys the owner of {@code address} unless it runs. */
  public Future<Void> ensure(String address, Supplier<Deployable> owner) {
    Future<String> f = deployments.get(address);
    if (f == null) {
      f = deployments.computeIfAbsent(address, a -> vertx.deployVerticle(owner.get()));
      Future<String> deployed = f;
      f.onFailure(e -> deployments.remove(address, deployed));
    }
    return f.mapEmpty();
  }

  /** Sends {@code op} to the owner of {@code address}, starting it if needed, and returns the owner's answer. */
  public <T> Future<Message<T>> call(String address, Supplier<Deployable> owner, String op, Object body,
                                     DeliveryOptions options) {
    options.addHeader("op", op);
    return ensure(address, owner)
      .compose(v -> vertx.eventBus().<T>request(address, body, options))
      .recover(e -> {
        if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
          deployments.remove(address);
          return ensure(address, owner).compose(v -> vertx.eventBus().<T>request(address, body, options));
        }
        return Future.failedFuture(e);
      })
      .recover(e -> Future.failedFuture(Failures.fromReply(e)));
  }

  /** Undeploys the owner of {@code address} if it runs here. */
  public Future<Void> stop(String address) {
    Future<String> f = deployments.remove(address);
    return f == null ? Future.succeededFuture() : f.compose(vertx::undeploy).otherwiseEmpty().mapEmpty();
  }

  /** Undeploys every owner started here. */
  public Future<Void> stopAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (String address : List.copyOf(deployments.keySet())) {
      all.add(stop(address));
    }
    return Future.join(all).mapEmpty();
  }
}
