package dev.ferrymq.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Acks deliveries of one SSE consumer over HTTP: one {@code POST .../leases/{id}/ack} each, or (batch mode) the
 * lease ids gathered since the last flush in one {@code POST /queues/{q}/acks}, at most {@value #MAX_IN_FLIGHT}
 * batches in flight. Used on the consumer stream's event loop only.
 */
final class Acker {

  private static final int MAX_IN_FLIGHT = 4;
  private static final int MAX_BATCH = 1000;

  private final HttpCalls client;
  private final String queue;
  private final boolean batch;
  private final Load load;
  private List<String> pending = new ArrayList<>();
  private int inFlight;

  Acker(HttpCalls client, String queue, boolean batch, Load load) {
    this.client = client;
    this.queue = queue;
    this.batch = batch;
    this.load = load;
  }

  void ack(String leaseId) {
    if (batch) {
      pending.add(leaseId);
    } else {
      client.call(HttpMethod.POST, "/queues/" + queue + "/leases/" + leaseId + "/ack", null, null)
        .onFailure(e -> failed(e, 1));
    }
  }

  /** Sends what was gathered, if a batch may go now; called after each chunk of the stream. */
  void flush() {
    if (!batch || pending.isEmpty() || inFlight >= MAX_IN_FLIGHT) {
      return;
    }
    List<String> ids = pending.size() <= MAX_BATCH ? pending : new ArrayList<>(pending.subList(0, MAX_BATCH));
    pending = pending.size() <= MAX_BATCH ? new ArrayList<>() : new ArrayList<>(pending.subList(MAX_BATCH,
      pending.size()));
    inFlight++;
    client.call(HttpMethod.POST, "/queues/" + queue + "/acks", new JsonArray(new ArrayList<>(ids)).toBuffer(),
        "application/json")
      .onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          failed(ar.cause(), ids.size());
        }
        flush();
      });
  }

  private void failed(Throwable e, int n) {
    if (!load.stopping && load.errors.getAndAdd(n) == 0) {
      System.err.println("  ack failed: " + e.getMessage());
    }
  }
}
