package dev.ferrymq;

/**
 * Base of every error FerryMQ reports through a failed {@code Future}. Each subclass names one
 * failure a caller can act on; {@link #code()} is a short stable identifier of it.
 */
public class FerryException extends RuntimeException {

  private final String code;

  /**
   * @param code stable identifier, e.g. {@code "queue-full"}
   * @param message what went wrong, for people
   */
  public FerryException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** @return the stable identifier of this failure */
  public String code() {
    return code;
  }
}
