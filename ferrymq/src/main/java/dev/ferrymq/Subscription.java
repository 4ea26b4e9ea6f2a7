package dev.ferrymq;

import io.vertx.core.Future;

/** A live subscription to a topic. */
public interface Subscription {

  /** @return the sequence number of the last message handed to the handler, 0 before the first */
  long lastSeq();

  /** Stops the subscription. */
  Future<Void> close();
}
