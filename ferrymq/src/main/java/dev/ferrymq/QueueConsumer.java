package dev.ferrymq;

import io.vertx.core.Future;

/** A registered push consumer of a queue. */
public interface QueueConsumer {

  /** @return the consumer's id, unique in the cluster */
  String id();

  /** Stops deliveries; the consumer's unsettled leases go back to the queue at once. */
  Future<Void> close();
}
