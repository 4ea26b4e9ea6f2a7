package dev.ferrymq.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs with: its standard streams and environment, given to {@link Cli#run} so that tests run
 * commands in-process.
 *
 * @param env the environment ({@code FERRYMQ_URL}, {@code FERRYMQ_TOKEN}, {@code FERRYMQ_STDERR_TTY})
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

  /** Set to {@code 1} by {@code scripts/ferrymq} when stderr is a terminal (Java cannot tell by itself). */
  static final String STDERR_TTY = "FERRYMQ_STDERR_TTY";

  /** @return whether stderr is a terminal: as the script says, else when the JVM has a console */
  boolean stderrIsTerminal() {
    String said = env.get(STDERR_TTY);
    return said != null ? said.equals("1") : System.console() != null;
  }

  /** Writes one line to stderr as {@code ferrymq: message}. */
  void warn(String message) {
    err.println("ferrymq: " + message);
    err.flush();
  }
}
