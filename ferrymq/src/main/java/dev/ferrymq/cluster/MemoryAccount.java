package dev.ferrymq.cluster;

import dev.ferrymq.MessageMemory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's account of the heap its queue owners' messages take, and its memory alarm: on above the high watermark,
 * off again below 90% of it (so that a backlog at the line does not flap), logged once per change. Owners on any event
 * loop add and release; reading the alarm is two volatile reads.
 */
public final class MemoryAccount {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryAccount.class);
  private static final long MIB = 1024 * 1024;
  /**
   * Heap a held message takes beyond twice its envelope (the owner's copy and the Hazelcast map's): entry, index and
   * map record. Measured: 1 KiB payloads took 2,527 bytes of heap each on one node, 64 KiB payloads 2.01× theirs.
   */
  static final int PER_MESSAGE = 350;

  private final AtomicLong held = new AtomicLong();
  private final AtomicBoolean alarm = new AtomicBoolean();
  private final long highWatermark;
  private final long clearBelow;
  private final String describe;

  /** @param highWatermark bytes above which the alarm goes on @param describe how it was set, for the log */
  public MemoryAccount(long highWatermark, String describe) {
    this.highWatermark = highWatermark;
    this.clearBelow = highWatermark - highWatermark / 10;
    this.describe = describe;
  }

  /** @return an account whose watermark is {@code fraction} of this JVM's maximum heap */
  public static MemoryAccount ofHeap(double fraction) {
    long max = Runtime.getRuntime().maxMemory();
    return new MemoryAccount((long) (max * fraction),
      String.format(Locale.ROOT, "%.2f%% of the %d MiB heap", fraction * 100, max / MIB));
  }

  /**
   * @return the heap a held message with an envelope of {@code envelopeBytes} takes on its owner's node: the owner's
   *     copy, the replicated map's copy and their bookkeeping (backups on other members are not counted here)
   */
  public static long cost(int envelopeBytes) {
    return 2L * envelopeBytes + PER_MESSAGE;
  }

  /** Counts {@code bytes} more held. */
  public void add(long bytes) {
    long now = held.addAndGet(bytes);
    if (now > highWatermark && !alarm.get()) {
      raise(now);
    }
  }

  /** Counts {@code bytes} no longer held. */
  public void release(long bytes) {
    long now = held.addAndGet(-bytes);
    if (now < clearBelow && alarm.get()) {
      clear(now);
    }
  }

  /** @return whether the alarm is on: queue sends are refused */
  public boolean alarm() {
    boolean on = alarm.get();
    long now = held.get();
    // Two owners crossing the line the opposite ways at once can leave the flag behind the count: set it right.
    if (on && now < clearBelow) {
      clear(now);
    } else if (!on && now > highWatermark) {
      raise(now);
    }
    return alarm.get();
  }

  /** @return the bytes held now */
  public long held() {
    return held.get();
  }

  /** @return the high watermark in bytes */
  public long highWatermark() {
    return highWatermark;
  }

  /** @return what the alarm says, for {@code /health/ready} */
  public MessageMemory status() {
    return new MessageMemory(held.get(), highWatermark, alarm());
  }

  /** @return the plain-words refusal of a send while the alarm is on */
  public String refusal() {
    return "this node's memory for queued messages is full (" + held.get() / MIB + " MiB held, high watermark "
      + highWatermark / MIB + " MiB): sends are paused until consumers drain the backlog; retry later";
  }

  private void raise(long now) {
    if (alarm.compareAndSet(false, true)) {
      LOG.warn("memory alarm ON: queued messages hold {} bytes, over the high watermark of {} bytes ({}); queue sends"
        + " are refused until consumers drain them below {} bytes", now, highWatermark, describe, clearBelow);
    }
  }

  private void clear(long now) {
    if (alarm.compareAndSet(true, false)) {
      LOG.info("memory alarm OFF: queued messages hold {} bytes, below {} bytes; queue sends are accepted again", now,
        clearBelow);
    }
  }
}
