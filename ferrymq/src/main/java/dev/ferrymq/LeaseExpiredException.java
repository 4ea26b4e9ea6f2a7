package dev.ferrymq;

/** The lease was issued but is no longer held: it expired, was released or settled. */
public class LeaseExpiredException extends FerryException {

  /** @param message what went wrong */
  public LeaseExpiredException(String message) {
    super("lease-expired", 410, message);
  }
}
