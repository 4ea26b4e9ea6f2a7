package dev.ferrymq;

/** Nobody listens on the request's address. */
public class NoHandlerException extends FerryException {

  /** @param message what went wrong */
  public NoHandlerException(String message) {
    super("no-handler", 503, message);
  }
}
