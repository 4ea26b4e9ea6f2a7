package dev.ferrymq;

/** The broker cannot accept the operation now (closing, store down, minority side); retry later. */
public class UnavailableException extends FerryException {

  /** @param message what went wrong */
  public UnavailableException(String message) {
    super("unavailable", 503, message);
  }

  /** @param code a more precise identifier, e.g. {@code "memory-alarm"} @param message what went wrong */
  protected UnavailableException(String code, String message) {
    super(code, 503, message);
  }
}
