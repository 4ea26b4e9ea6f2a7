package dev.ferrymq;

/** No reply arrived before the request's timeout. */
public class RequestTimeoutException extends FerryException {

  /** @param message what went wrong */
  public RequestTimeoutException(String message) {
    super("request-timeout", 504, message);
  }
}
