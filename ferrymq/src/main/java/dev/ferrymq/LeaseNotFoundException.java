package dev.ferrymq;

/** No lease with that id was ever issued by this queue. */
public class LeaseNotFoundException extends FerryException {

  /** @param message what went wrong */
  public LeaseNotFoundException(String message) {
    super("lease-not-found", 404, message);
  }
}
