package dev.ferrymq.cluster;

import dev.ferrymq.internal.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * Base of the owner verticles. Calls reach an owner on its own context — straight from {@link Owners} on the same
 * node, with no event-bus round trip — and one that has stopped (its partition moved) answers {@link Owners#MOVED},
 * so the caller looks for the new owner instead of leaving a write with a stale owner.
 */
public abstract class OwnerVerticle extends VerticleBase {

  private boolean stopped;

  /** Hands {@code message} to the owner on its context. */
  final void deliver(Message<Object> message) {
    context.runOnContext(v -> {
      if (stopped) {
        message.fail(Owners.MOVED, "owner stopped");
      } else {
        try {
          handle(message);
        } catch (RuntimeException e) {
          Failures.reply(message, e); // a caller on this node would otherwise wait for its timeout
        }
      }
    });
  }

  /** @return whether this owner has stopped (its partition moved, or the node is closing) */
  protected final boolean isStopped() {
    return stopped;
  }

  /** Runs one operation; always answers {@code message} with a reply or a failure. */
  protected abstract void handle(Message<Object> message);

  @Override
  public final Future<?> stop() {
    stopped = true;
    return onStop();
  }

  /** Releases what the owner holds (timers, waiters). */
  protected abstract Future<?> onStop();
}
