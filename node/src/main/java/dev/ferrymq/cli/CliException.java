package dev.ferrymq.cli;

/** A command's failure as the user sees it: one plain sentence on stderr and an exit code ({@link Exit}). */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
