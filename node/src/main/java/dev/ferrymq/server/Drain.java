package dev.ferrymq.server;

import dev.ferrymq.Broker;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's graceful stop, on SIGTERM (or Ctrl-C): readiness answers 503 for the drain time (a load balancer stops
 * sending), then the gateway stops accepting connections and ends its SSE streams with a last comment (their push
 * consumers close, so their in-flight deliveries go back to their queues), the broker stops its owners and closes its
 * store (flushed), and the node leaves the cluster (Hazelcast migrates its partitions; callers retry with the new
 * owners). Each step is logged. If it all takes longer than the limit, the node logs the step it was in and exits
 * anyway, with status 1.
 */
final class Drain {

  private static final Logger LOG = LoggerFactory.getLogger("dev.ferrymq.drain");

  private final Vertx vertx;
  private final Broker broker;
  private final GatewayVerticle gateway;
  private final String deployment;
  private final Duration time;
  private final Duration limit;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile String step = "starting";
  private volatile boolean done;

  Drain(Vertx vertx, Broker broker, GatewayVerticle gateway, String deployment, Duration time, Duration limit) {
    this.vertx = vertx;
    this.broker = broker;
    this.gateway = gateway;
    this.deployment = deployment;
    this.time = time;
    this.limit = limit;
  }

  /**
   * Runs the stop on the calling thread, once.
   *
   * @param why what asked for it, for the log
   * @return 0 when every step completed, 1 when one failed, -1 (at once) when a stop is already under way
   */
  int run(String why) {
    if (!started.compareAndSet(false, true)) {
      if (!done) {
        LOG.info("{}: already stopping ({})", why, step);
      }
      return -1;
    }
    long start = System.nanoTime();
    watchdog(start);
    LOG.info("{}: stopping gracefully; /health/ready answers 503 for {} ms, then the node stops within {} ms", why,
      time.toMillis(), limit.toMillis());
    boolean ok = true;
    step = "drain time (readiness 503)";
    gateway.drain();
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long left = remaining(start);
    // Requests in flight (long polls included) get a third of what is left; SSE streams end at once.
    ok &= step("closing HTTP connections, ending SSE streams", () -> gateway.shutdown(Duration.ofMillis(Math.max(100,
      Math.min(10_000, left / 3)))), start);
    ok &= step("undeploying the gateway", () -> vertx.undeploy(deployment), start);
    ok &= step("stopping owners, closing the store", broker::close, start);
    ok &= step("leaving the cluster", vertx::close, start);
    done = true;
    LOG.info("stopped {}in {} ms", ok ? "" : "(with errors above) ", (System.nanoTime() - start) / 1_000_000);
    return ok ? 0 : 1;
  }

  private boolean step(String name, Supplier<Future<?>> action, long start) {
    step = name;
    LOG.info("drain: {}", name);
    try {
      action.get().await(Math.max(1, remaining(start)), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      LOG.warn("drain: {} failed: {}", name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return false;
    }
  }

  private long remaining(long start) {
    return limit.toMillis() - (System.nanoTime() - start) / 1_000_000;
  }

  /** Exits the JVM with status 1 when the stop is not done within the limit, after logging what was left. */
  private void watchdog(long start) {
    Thread t = new Thread(() -> {
      try {
        while (!done && remaining(start) > 0) {
          Thread.sleep(Math.min(100, Math.max(1, remaining(start))));
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!done) {
        LOG.error("drain: not done after {} ms, exiting anyway; left undone from: {}", limit.toMillis(), step);
        Runtime.getRuntime().halt(1);
      }
    }, "ferrymq-drain-limit");
    t.setDaemon(true);
    t.start();
  }
}
