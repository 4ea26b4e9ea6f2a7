package dev.ferrymq.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second per client (token subject or IP address), as token buckets: a client may make {@code burst}
 * requests at once and {@code rate} per second after that. Buckets of clients quiet long enough to be full again are
 * dropped now and then, so memory stays bounded by the clients active in the last few seconds.
 */
final class RateLimiter {

  private static final int SWEEP_EVERY = 4096;

  private final double rate;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();

  /** @param rate tokens per second, 0 for no limit */
  RateLimiter(int rate, int burst) {
    this.rate = rate;
    this.burst = burst;
  }

  /** @return 0 when {@code client} may go on, else the seconds to wait before retrying (for {@code Retry-After}) */
  long acquire(String client) {
    if (rate <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
      sweep(now);
    }
    return buckets.computeIfAbsent(client, k -> new Bucket(burst, now)).take(now, rate, burst);
  }

  private void sweep(long now) {
    long refillNanos = (long) (burst / rate * 1e9);
    buckets.values().removeIf(b -> now - b.last() > refillNanos);
  }

  int clients() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized long last() {
      return last;
    }

    synchronized long take(long now, double rate, double burst) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }
  }
}
