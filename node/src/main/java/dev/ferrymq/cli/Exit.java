package dev.ferrymq.cli;

/** The exit codes of the command-line client, and which HTTP statuses lead to which. */
final class Exit {

  static final int OK = 0;
  /** Bad command line or a request the node calls malformed (400, 413, 414, 431). */
  static final int USAGE = 1;
  /** No such queue, topic, lease or route (404, 410). */
  static final int NOT_FOUND = 2;
  /** Refused: no or a bad token (401), no grant (403), a conflict (409), full or rate-limited (429). */
  static final int REFUSED = 3;
  /** Unavailable: the node cannot be reached, or answers 5xx (503 not ready or moving, 504 timeout). */
  static final int UNAVAILABLE = 4;

  private Exit() {
  }

  /** @return {@code value} ({@code 500ms}, {@code 30s}, {@code 5m}...) as a duration; anything else is a usage error */
  static java.time.Duration duration(String value, String option) {
    try {
      return dev.ferrymq.Durations.parse(value, option);
    } catch (RuntimeException e) {
      throw new CliException(USAGE, e.getMessage());
    }
  }

  /** @return the exit code for an HTTP error status */
  static int ofStatus(int status) {
    return switch (status) {
      case 404, 410 -> NOT_FOUND;
      case 401, 403, 409, 429 -> REFUSED;
      default -> status >= 500 ? UNAVAILABLE : USAGE;
    };
  }
}
