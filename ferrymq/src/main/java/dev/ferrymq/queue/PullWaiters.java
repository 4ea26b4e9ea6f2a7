package dev.ferrymq.queue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;

/**
 * The long-polls ({@code Queue.receive}) waiting at a queue's owner for messages: served oldest first, each answered
 * with no messages when its wait ends. Used on the owner's context only.
 */
final class PullWaiters {

  /** A pull waiting for messages. */
  static final class Waiter {
    final Message<Object> reply;
    final int max;
    final long visibilityMs;
    final boolean autoAck;
    private long timer;

    Waiter(Message<Object> reply, int max, long visibilityMs, boolean autoAck) {
      this.reply = reply;
      this.max = max;
      this.visibilityMs = visibilityMs;
      this.autoAck = autoAck;
    }
  }

  private final Vertx vertx;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

  PullWaiters(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Keeps {@code w} until it is served, or answers it with no messages after {@code waitMs}. */
  void add(Waiter w, long waitMs) {
    waiting.add(w);
    w.timer = vertx.setTimer(waitMs, id -> {
      if (waiting.remove(w)) {
        answerEmpty(w);
      }
    });
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** @return the oldest waiting pull, which waits no more (there must be one) */
  Waiter next() {
    Waiter w = waiting.poll();
    vertx.cancelTimer(w.timer);
    return w;
  }

  /** Answers every waiting pull with no messages (the queue is being deleted). */
  void answerAllEmpty() {
    for (Waiter w : waiting) {
      vertx.cancelTimer(w.timer);
      answerEmpty(w);
    }
    waiting.clear();
  }

  /** Fails every waiting pull with {@code code}, as when the owner stops and the callers retry with the next one. */
  void failAll(int code, String message) {
    for (Waiter w : waiting) {
      vertx.cancelTimer(w.timer);
      w.reply.fail(code, message);
    }
    waiting.clear();
  }

  /** Answers {@code w} with an empty batch of deliveries. */
  static void answerEmpty(Waiter w) {
    w.reply.reply(Buffer.buffer().appendInt(0));
  }
}
