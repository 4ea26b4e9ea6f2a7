package dev.ferrymq;

/** The handler of a request answered with a failure. */
public class HandlerFailureException extends FerryException {

  /** @param message what went wrong */
  public HandlerFailureException(String message) {
    super("handler-failure", 502, message);
  }
}
