package dev.ferrymq.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts open SSE streams per client (token subject or IP address) against a maximum. A slot taken for a request is
 * given back once, when its stream closes or when the request fails before the stream started.
 */
final class StreamLimiter {

  private static final String RELEASE = "ferrymq.streamRelease";

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();

  StreamLimiter(int max) {
    this.max = max;
  }

  /** @return whether {@code client} got a slot; if so it is released by {@link #release(RoutingContext)} */
  boolean acquire(String client, RoutingContext ctx) {
    boolean[] ok = {false};
    open.compute(client, (k, n) -> {
      int count = n == null ? 0 : n;
      ok[0] = count < max;
      return ok[0] ? count + 1 : n;
    });
    if (ok[0]) {
      total.incrementAndGet();
      AtomicBoolean done = new AtomicBoolean();
      Runnable release = () -> {
        if (done.compareAndSet(false, true)) {
          open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
          total.decrementAndGet();
        }
      };
      ctx.put(RELEASE, release);
    }
    return ok[0];
  }

  /** Gives back the slot {@code ctx} holds, if any (idempotent). */
  static void release(RoutingContext ctx) {
    Runnable r = ctx.get(RELEASE);
    if (r != null) {
      r.run();
    }
  }

  /** @return the streams open now, of every client */
  int total() {
    return total.get();
  }

  int open(String client) {
    return open.getOrDefault(client, 0);
  }
}
