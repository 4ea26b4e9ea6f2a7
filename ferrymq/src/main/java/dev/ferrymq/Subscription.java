package dev.ferrymq;

import io.vertx.core.Future;

/** A live subscription to a topic. */
public interface Subscription {

  /** @return the sequence number of the last message handed to the handler, 0 before the first */
  long lastSeq();

  /**
   * @return where the subscription stands in each partition of the topic, by partition index: the last sequence number
   *     handed to the handler, or the one it started after; one element, {@link #lastSeq()}, for a topic that is not
   *     partitioned. Resume with {@link Topic#subscribe(java.util.List, io.vertx.core.Handler, io.vertx.core.Handler)}
   */
  default java.util.List<Long> positions() {
    return java.util.List.of(lastSeq());
  }

  /** Stops the subscription. */
  Future<Void> close();
}
