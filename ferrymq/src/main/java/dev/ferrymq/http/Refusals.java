package dev.ferrymq.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs why clients are refused (unauthorized, forbidden, over their rate or stream limit, too many connections, too
 * slow a request head): one line per client and reason, then at most one a minute with the count refused meanwhile, so
 * a client hammering a limit does not flood the log. Logger {@code dev.ferrymq.refused}, level INFO; no stack trace.
 */
final class Refusals {

  static final Logger LOG = LoggerFactory.getLogger("dev.ferrymq.refused");
  private static final long QUIET_NANOS = 60_000_000_000L;
  /** Most (client, reason) pairs remembered; past it the memory starts again (a line more each, never unbounded). */
  private static final int MAX_KEYS = 10_000;
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private static final class Seen {
    volatile long loggedAt;
    final AtomicLong since = new AtomicLong();

    Seen(long loggedAt) {
      this.loggedAt = loggedAt;
    }
  }

  private Refusals() {
  }

  /**
   * @param client who was refused (token subject or address)
   * @param status the HTTP status answered, or 0 when the connection was closed
   * @param reason in plain words, e.g. "rate limit exceeded"
   */
  static void refused(io.vertx.core.net.SocketAddress remote, int status, String reason) {
    refused(remote == null ? "ip:unknown" : "ip:" + remote.hostAddress(), status, reason);
  }

  static void refused(String client, int status, String reason) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long now = System.nanoTime();
    String key = client + '|' + status + '|' + reason;
    if (SEEN.size() >= MAX_KEYS) {
      SEEN.clear();
    }
    Seen seen = SEEN.get(key);
    if (seen == null) {
      if (SEEN.putIfAbsent(key, new Seen(now)) == null) {
        log(client, status, reason, 0);
      }
      return;
    }
    long more = seen.since.incrementAndGet();
    if (now - seen.loggedAt > QUIET_NANOS) {
      seen.loggedAt = now;
      seen.since.addAndGet(-more);
      log(client, status, reason, more);
    }
  }

  private static void log(String client, int status, String reason, long more) {
    LOG.info("client {} refused{}: {}{}", client, status == 0 ? " (connection closed)" : " with " + status,
      Problems.truncate(reason, 200), more > 0 ? " (" + more + " more since the last line)" : "");
  }
}
