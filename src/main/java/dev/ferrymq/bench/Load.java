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

  /** Records a message received by receiver {@code r}. */
  void received(int r, Buffer payload) {
    received[r].incrementAndGet();
    onProgress.run();
    if (measuring) {
      measured.incrementAndGet();
      long latencyNs = System.nanoTime() - T0 - payload.getLong(0);
      synchronized (latency) {
        latency.recordValue(Math.max(0, Math.min(latencyNs, latency.getHighestTrackableValue())));
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

  /** @return whether the producer may send one more within the end-to-end window */
  boolean windowOpen() {
    return !stopping && sent.get() - slowest() < window;
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
