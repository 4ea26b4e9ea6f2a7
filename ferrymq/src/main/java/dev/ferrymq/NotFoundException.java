package dev.ferrymq;

/**
 * The queue or topic does not exist: it was never created, or it was deleted. Reads (stats, options, history, dead
 * letters) never create a destination; publishing, subscribing, consuming and configuring do.
 */
public class NotFoundException extends FerryException {

  /** @param message what was not found */
  public NotFoundException(String message) {
    super("not-found", 404, message);
  }

  /** @return the failure for queue {@code name} */
  public static NotFoundException queue(String name) {
    return new NotFoundException("queue '" + name + "' does not exist");
  }

  /** @return the failure for topic {@code name} */
  public static NotFoundException topic(String name) {
    return new NotFoundException("topic '" + name + "' does not exist");
  }
}
