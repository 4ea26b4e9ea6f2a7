package dev.ferrymq;

/** The operation conflicts with the destination's current state (e.g. changing an immutable setting). */
public class ConflictException extends FerryException {

  /** @param message what went wrong */
  public ConflictException(String message) {
    super("conflict", 409, message);
  }
}
