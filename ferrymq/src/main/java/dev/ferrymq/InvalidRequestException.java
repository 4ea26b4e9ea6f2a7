package dev.ferrymq;

/** An argument was out of range or malformed (a 400 over HTTP). */
public class InvalidRequestException extends FerryException {

  /** @param message what went wrong */
  public InvalidRequestException(String message) {
    super("invalid-request", 400, message);
  }

  /** @param code a more specific identifier @param message what went wrong */
  protected InvalidRequestException(String code, String message) {
    super(code, 400, message);
  }
}
