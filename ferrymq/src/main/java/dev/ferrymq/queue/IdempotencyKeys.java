package dev.ferrymq.queue;

import dev.ferrymq.cluster.Node;
import dev.ferrymq.queue.QueueOwner.Pending;
import io.vertx.core.eventbus.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/** A queue's idempotency keys: a resend within the window is answered with the first send's id, not added again. */
final class IdempotencyKeys {

  private final Node node;
  private final Map<String, Idempotent> keys = new LinkedHashMap<>();

  /** An idempotency key's message id and until when it is remembered; {@code pending} while its batch is open. */
  private record Idempotent(String id, long until, Pending pending) {
  }

  IdempotencyKeys(Node node) {
    this.node = node;
  }

  /**
   * @return whether {@code key} was seen within its window: then {@code msg} is answered, or joins the first send
   *   while its batch is open
   */
  boolean duplicate(String key, Message<Object> msg, long now) {
    Idempotent seen = keys.get(key);
    if (seen == null || seen.until <= now) {
      return false;
    }
    if (seen.pending != null) {
      seen.pending.replies().add(msg);
    } else {
      msg.reply(seen.id); // a duplicate is answered with the first message's id, a new message with nothing
    }
    return true;
  }

  /** Remembers the key of send {@code p}, whose batch is now open. */
  void opened(Pending p, long now) {
    keys.remove(p.idempotencyKey());
    keys.put(p.idempotencyKey(), new Idempotent(p.id(), now + node.options().getIdempotencyWindow().toMillis(), p));
  }

  /** Send {@code p}'s batch is done: its key is kept for the rest of its window, or forgotten if the send failed. */
  void confirmed(Pending p, boolean succeeded) {
    Idempotent i = keys.get(p.idempotencyKey());
    if (i != null && i.pending == p) {
      if (succeeded) {
        keys.put(p.idempotencyKey(), new Idempotent(p.id(), i.until, null));
      } else {
        keys.remove(p.idempotencyKey());
      }
    }
  }

  /** Forgets the keys whose window ended, except those whose send is still open. */
  void expire(long now) {
    // In insertion order, so the oldest come first: stop at the first key still in its window.
    for (var it = keys.values().iterator(); it.hasNext(); ) {
      Idempotent i = it.next();
      if (i.until > now) {
        break;
      }
      if (i.pending == null) {
        it.remove();
      }
    }
  }
}
