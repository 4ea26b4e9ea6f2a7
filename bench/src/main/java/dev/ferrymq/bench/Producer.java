package dev.ferrymq.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One producer on one context: sends as fast as the end-to-end window and the outstanding-confirm limit allow, or
 * open-loop at a fixed rate ({@code --rate}). A send's future completing is its confirm. A batched producer sends up
 * to {@code batch} messages in one call, as many as both windows have room for.
 */
final class Producer {

  private final Load load;
  private final int confirmWindow;
  private final int batch;
  private final IntFunction<Future<?>> send;
  private final Context context;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final boolean closedLoop;
  private int outstanding;

  private Producer(Load load, int confirmWindow, int batch, IntFunction<Future<?>> send, Context context,
                   boolean closedLoop) {
    this.load = load;
    this.confirmWindow = confirmWindow;
    this.batch = batch;
    this.send = send;
    this.context = context;
    this.closedLoop = closedLoop;
  }

  /**
   * Starts producing on a new context of {@code vertx} until {@code load.stopping}.
   *
   * @param rate messages per second, or 0 for as fast as allowed
   * @param send sends one message (taking its payload from {@code load}); its future is the confirm
   */
  static void start(Vertx vertx, Load load, int rate, int confirmWindow, Supplier<Future<?>> send) {
    start(vertx.getOrCreateContext(), load, rate, confirmWindow, send);
  }

  /** The same on {@code context}: the one of the client it sends with, so that no send crosses threads. */
  static void start(Context context, Load load, int rate, int confirmWindow, Supplier<Future<?>> send) {
    start(context, load, rate, confirmWindow, 1, n -> send.get());
  }

  /**
   * The same, {@code send} sending {@code n} messages (1 to {@code batch}) in one call whose future is the confirm of
   * them all.
   */
  static void start(Context context, Load load, int rate, int confirmWindow, int batch, IntFunction<Future<?>> send) {
    Vertx vertx = context.owner();
    Producer p = new Producer(load, confirmWindow, batch, send, context, rate == 0);
    if (rate > 0) {
      long perTick = Math.max(1, rate / 1000);
      long period = Math.max(1, perTick * 1000 / rate);
      context.runOnContext(v -> vertx.setPeriodic(period, id -> {
        if (load.stopping) {
          vertx.cancelTimer(id);
          return;
        }
        for (long left = perTick; left > 0; left -= batch) {
          p.send((int) Math.min(batch, left));
        }
      }));
    } else {
      load.onProgress = p::schedule;
      p.schedule();
    }
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        scheduled.set(false);
        pump();
      });
    }
  }

  private void pump() {
    int n;
    while ((n = Math.min(Math.min(batch, confirmWindow - outstanding), load.room())) > 0) {
      send(n);
    }
  }

  private void send(int n) {
    outstanding += n;
    load.sent.addAndGet(n);
    send.apply(n).onComplete(ar -> {
      outstanding -= n;
      if (ar.failed()) {
        load.errors.addAndGet(n);
      }
      if (closedLoop) {
        pump();
      }
    });
  }
}
