package dev.ferrymq.bench;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The bookkeeping of one run, shared by every workload: what was sent and received, the end-to-end window, and
 * the latency of messages received while measuring. Latency is stamped into the first 8 bytes of each payload.
 */
final class Load {

  static final long T0 = System.nanoTime();

  final int size;
  final int window;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  /** Called after each receive, so a producer blocked by the window can go on. */
  volatile Runnable onProgress = () -> { };
  final AtomicLong[] received;
  final Histogram latency = new Histogram(60_000_000_000L, 3);
  volatile boolean measuring;
  volatile boolean stopping;
  /** {@code System.nanoTime()} of the latest receive. */
  volatile long lastReceived;
  private final AtomicLong measured = new AtomicLong();

  Load(int size, int window, int receivers) {
    this.size = size;
    this.window = window;
    this.received = new AtomicLong[receivers];
    for (int i = 0; i < receivers; i++) {
      received[i] = new AtomicLong();
    }
  }

  Buffer payload() {
    byte[] b = new byte[size];
    long t = System.nanoTime() - T0;
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (t >>> (56 - 8 * i));
    }
    return Buffer.buffer(b);
  }

  /**
   * @return a text payload of {@code size} ASCII bytes whose first 16 are the send time in hex: the form used over
   *     HTTP, where it travels unchanged through JSON and SSE data lines
   */
  Buffer textPayload() {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) 'x');
    long t = System.nanoTime() - T0;
    for (int i = 0; i < 16; i++) {
      b[i] = (byte) Character.forDigit((int) (t >>> (60 - 4 * i)) & 0xf, 16);
    }
    return Buffer.buffer(b);
  }

  /** @return the send time stamped by {@link #textPayload} at {@code offset} of {@code s}, or -1 when there is none */
  static long textStamp(CharSequence s, int offset) {
    if (offset < 0 || s.length() < offset + 16) {
      return -1;
    }
    long t = 0;
    for (int i = 0; i < 16; i++) {
      int d = Character.digit(s.charAt(offset + i), 16);
      if (d < 0) {
        return -1;
      }
      t = (t << 4) | d;
    }
    return t;
  }

  /** Records a message received by receiver {@code r}, stamped by {@link #payload}. */
  void received(int r, Buffer payload) {
    receivedStamp(r, payload.getLong(0));
  }

  /** Records a message received by receiver {@code r} that was sent at {@code stamp} (or -1: unknown). */
  void receivedStamp(int r, long stamp) {
    received[r].incrementAndGet();
    lastReceived = System.nanoTime();
    onProgress.run();
    if (measuring) {
      measured.incrementAndGet();
      if (stamp >= 0) {
        long latencyNs = System.nanoTime() - T0 - stamp;
        synchronized (latency) {
          latency.recordValue(Math.max(0, Math.min(latencyNs, latency.getHighestTrackableValue())));
        }
      }
    }
  }

  /** @return the fewest messages any receiver got */
  long slowest() {
    long min = Long.MAX_VALUE;
    for (AtomicLong r : received) {
      min = Math.min(min, r.get());
    }
    return min;
  }

  /** @return how many more the producer may send within the end-to-end window */
  int room() {
    return stopping ? 0 : (int) Math.max(0, window - (sent.get() - slowest()));
  }

  long measuredCount() {
    return measured.get();
  }

  long totalReceived() {
    long sum = 0;
    for (AtomicLong r : received) {
      sum += r.get();
    }
    return sum;
  }
}
