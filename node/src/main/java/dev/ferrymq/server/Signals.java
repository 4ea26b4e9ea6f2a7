package dev.ferrymq.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the node's {@link Drain} on SIGTERM and SIGINT (Ctrl-C) and then exits with its status: 0 after a complete
 * graceful stop (the JVM's own handling would end with 143 whatever happened). Any other way the JVM goes down
 * ({@code System.exit}, SIGHUP) still runs the drain from a shutdown hook.
 */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger("dev.ferrymq.drain");

  private Signals() {
  }

  static void onStop(Drain drain) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          // Off the signal thread, so a second signal is logged instead of waiting behind the first; only the first
          // stop exits, once done.
          Thread t = new Thread(() -> {
            int status = drain.run("SIG" + name);
            if (status >= 0) {
              System.exit(status);
            }
          }, "ferrymq-drain");
          t.start();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.warn("cannot handle SIG{} here ({}); it stops the node through the shutdown hook", name, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drain.run("JVM shutdown"), "ferrymq-shutdown"));
  }
}
