package dev.ferrymq.cli;

import java.io.PrintStream;

/** A progress line on stderr ({@code published 12000 messages, 8100/s}), rewritten at most five times a second. */
final class Progress {

  private static final long EVERY_NANOS = 200_000_000L;

  private final PrintStream err;
  private final boolean on;
  private final String verb;
  private final long start = System.nanoTime();
  private long count;
  private long shownAt;
  private boolean shown;

  Progress(PrintStream err, boolean on, String verb) {
    this.err = err;
    this.on = on;
    this.verb = verb;
  }

  /** Counts {@code n} more messages. */
  void add(long n) {
    count += n;
    long now = System.nanoTime();
    if (on && now - shownAt >= EVERY_NANOS) {
      shownAt = now;
      show(now);
    }
  }

  long count() {
    return count;
  }

  /** Shows the final count and ends the line, if anything was shown. */
  void done() {
    if (on && shown) {
      show(System.nanoTime());
      err.println();
      err.flush();
    }
  }

  private void show(long now) {
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    err.print("\r" + verb + " " + count + " messages, " + Math.round(count / seconds) + "/s ");
    err.flush();
    shown = true;
  }
}
