package dev.ferrymq;

/** The queue has reached its {@code maxLength}; the message was not accepted. */
public class QueueFullException extends FerryException {

  /** @param message what went wrong */
  public QueueFullException(String message) {
    super("queue-full", 429, message);
  }
}
