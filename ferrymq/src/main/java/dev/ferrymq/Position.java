package dev.ferrymq;

/**
 * Where a topic subscription starts: {@link #EARLIEST} (all history), {@link #LATEST} (only new messages) or
 * {@link #after(long)} a sequence number (an SSE {@code Last-Event-ID}).
 *
 * @param after deliver messages with a sequence greater than this; -1 for "latest"
 */
public record Position(long after) {

  /** Everything still in history. */
  public static final Position EARLIEST = new Position(0);
  /** Only messages published after the subscription starts. */
  public static final Position LATEST = new Position(-1);

  /** Validates. */
  public Position {
    if (after < -1) {
      throw new InvalidRequestException("a position is a sequence number >= 0, was " + after);
    }
  }

  /** @param seq the last sequence number already seen @return the position right after it */
  public static Position after(long seq) {
    return new Position(seq);
  }

  /**
   * @param text {@code earliest}, {@code latest} or a sequence number
   * @return the position
   * @throws InvalidRequestException when it is none of these
   */
  public static Position parse(String text) {
    if (text == null || text.equals("latest")) {
      return LATEST;
    }
    if (text.equals("earliest")) {
      return EARLIEST;
    }
    try {
      return after(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("position must be 'earliest', 'latest' or a sequence number, was '"
        + (text.length() > 40 ? text.substring(0, 40) : text) + "'");
    }
  }

  /** @return whether this is {@link #LATEST} */
  public boolean isLatest() {
    return after < 0;
  }
}
