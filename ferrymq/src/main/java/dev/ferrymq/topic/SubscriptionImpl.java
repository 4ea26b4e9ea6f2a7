package dev.ferrymq.topic;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.ferrymq.Gap;
import dev.ferrymq.Subscription;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber of a topic. It first reads history from the ringbuffer while buffering live batches, then hands
 * over to live delivery; whenever a live message is not the next expected sequence it goes back to the ringbuffer,
 * so the handler sees every message once, in order, or is told of a gap.
 */
final class SubscriptionImpl implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionImpl.class);
  private static final int MAX_PENDING = 10_000;
  private static final long RETRY_MS = 500;

  private final String topic;
  /** Topic sequence of the ringbuffer's sequence -1: a message's seq is {@code base + ringSeq + 1}. */
  private long base;
  private final Ringbuffer<byte[]> ring;
  private final int readMax;
  private final Context context;
  /** The event-loop thread of {@code context}, or {@code null} when it is not known to be one (a worker context). */
  private final Thread loop;
  private final Handler<TopicMessage> handler;
  private final Handler<Gap> gapHandler;
  private final Fanouts fanouts;
  private final ArrayDeque<TopicMessage> pending = new ArrayDeque<>();
  private long nextSeq;
  private boolean catchingUp = true;
  private boolean closed;
  /** How many times the topic was deleted while this subscription ran. */
  private int deletions;

  SubscriptionImpl(String topic, Ringbuffer<byte[]> ring, long base, int capacity, Context context, Thread loop,
                   Fanouts fanouts, Handler<TopicMessage> handler, Handler<Gap> gapHandler) {
    this.topic = topic;
    this.base = base;
    this.ring = ring;
    this.readMax = Math.min(1000, capacity);
    this.context = context;
    this.loop = loop;
    this.fanouts = fanouts;
    this.handler = handler;
    this.gapHandler = gapHandler;
  }

  /** Starts delivery with the message after {@code after}. */
  Future<Subscription> start(long after) {
    nextSeq = after + 1;
    return fanouts.join(topic, this).map(v -> {
      catchUp();
      return this;
    });
  }

  Context context() {
    return context;
  }

  Thread loop() {
    return loop;
  }

  /** Called by the fan-out, on this subscription's event loop (or its context). */
  void live(List<TopicMessage> batch) {
    if (closed) {
      return;
    }
    if (catchingUp) {
      if (pending.size() + batch.size() > MAX_PENDING) {
        pending.clear(); // all of it is in the ringbuffer; the catch-up reads it from there
      }
      pending.addAll(batch);
      return;
    }
    for (TopicMessage m : batch) {
      if (catchingUp) {
        pending.add(m);
      } else if (m.seq() > nextSeq) {
        catchingUp = true;
        pending.add(m);
        catchUp();
      } else if (m.seq() == nextSeq) {
        deliver(m);
      }
    }
  }

  /**
   * The topic was deleted: a topic of that name numbers from 1 again (base 0). Told to the handler as a gap whose
   * oldest is 1, then delivery follows the new topic.
   */
  void topicDeleted() {
    if (closed) {
      return;
    }
    long requested = nextSeq;
    deletions++;
    base = 0;
    nextSeq = 1;
    pending.clear();
    catchingUp = false;
    gapHandler.handle(new Gap(requested, 1));
  }

  private void catchUp() {
    if (closed) {
      return;
    }
    long from = Math.max(0, nextSeq - 1 - base);
    int topicSeen = deletions;
    Future.fromCompletionStage(ring.readManyAsync(from, 0, readMax, null), context).onComplete(ar -> {
      if (closed || topicSeen != deletions) { // a read of a topic deleted since
        return;
      }
      if (ar.failed()) {
        LOG.debug("topic {}: history read failed, retrying: {}", topic, ar.cause().toString());
        context.owner().setTimer(RETRY_MS, id -> catchUp());
        return;
      }
      ReadResultSet<byte[]> rs = ar.result();
      for (int i = 0; i < rs.size(); i++) {
        long seq = base + rs.getSequence(i) + 1;
        if (seq < nextSeq) {
          continue;
        }
        if (seq > nextSeq) {
          gapHandler.handle(new Gap(nextSeq, seq));
          nextSeq = seq;
        }
        deliver(TopicBatch.message(topic, seq, Envelope.decode(rs.get(i))));
      }
      if (rs.readCount() >= readMax) {
        catchUp();
      } else {
        drainPending();
      }
    });
  }

  private void drainPending() {
    while (!pending.isEmpty()) {
      TopicMessage m = pending.peek();
      if (m.seq() > nextSeq) {
        catchUp();
        return;
      }
      pending.poll();
      if (m.seq() == nextSeq) {
        deliver(m);
      }
    }
    catchingUp = false;
  }

  private void deliver(TopicMessage m) {
    nextSeq = m.seq() + 1;
    try {
      handler.handle(m);
    } catch (RuntimeException e) {
      LOG.warn("subscriber of topic {} threw on seq {}", topic, m.seq(), e);
    }
  }

  @Override
  public long lastSeq() {
    return nextSeq - 1;
  }

  @Override
  public Future<Void> close() {
    fanouts.leave(topic, this);
    context.runOnContext(v -> {
      closed = true;
      pending.clear();
    });
    return Future.succeededFuture();
  }
}
