package dev.ferrymq.server;

import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link OutOfMemoryExitTest}: shaped like a server, its main thread waits forever while a worker
 * thread fills the heap. Without {@code -XX:+ExitOnOutOfMemoryError} it stays up as a zombie after the worker dies.
 */
public final class OutOfMemoryChild {

  private OutOfMemoryChild() {
  }

  public static void main(String[] args) throws Exception {
    Main.logUncaughtErrors();
    Thread failing = new Thread(() -> {
      throw new IllegalStateException("a worker failed on purpose");
    }, "failing-worker");
    failing.start();
    failing.join();
    Thread filler = new Thread(() -> {
      List<byte[]> held = new ArrayList<>();
      System.out.println("filling the heap");
      System.out.flush();
      while (true) {
        held.add(new byte[1 << 20]);
      }
    }, "heap-filler");
    filler.start();
    Thread.sleep(Long.MAX_VALUE); // a server's non-daemon threads keep the JVM up
  }
}
