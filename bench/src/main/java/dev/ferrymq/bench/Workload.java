package dev.ferrymq.bench;

import io.vertx.core.Future;

/** One workload on one path: sets itself up, then produces and consumes into a {@link Load} until it stops. */
interface Workload {

  /** Sets the workload up and starts its producers and consumers; they run until {@code load.stopping}. */
  Future<Void> start(Load load);

  /** Releases what {@link #start} opened (connections, consumers); the default has nothing to release. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
