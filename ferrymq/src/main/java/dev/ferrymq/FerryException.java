package dev.ferrymq;

/**
 * Base of every error FerryMQ reports through a failed {@code Future}. Each subclass names one
 * failure a caller can act on; {@link #code()} is a short stable identifier of it.
 */
public class FerryException extends RuntimeException {

  private final String code;
  private final int status;

  /**
   * @param code stable identifier, e.g. {@code "queue-full"}
   * @param status the HTTP status that stands for it (also the failure code on the event bus)
   * @param message what went wrong, for people
   */
  public FerryException(String code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  /** @return the HTTP status that stands for this failure, e.g. 429 for a full queue */
  public int status() {
    return status;
  }

  /** @return the stable identifier of this failure */
  public String code() {
    return code;
  }
}
