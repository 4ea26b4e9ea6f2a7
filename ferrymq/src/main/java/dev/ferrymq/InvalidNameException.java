package dev.ferrymq;

/** A queue, topic or address name outside {@code [A-Za-z0-9._-]{1,200}}. */
public class InvalidNameException extends InvalidRequestException {

  /** @param name the rejected name */
  public InvalidNameException(String name) {
    super("invalid-name", "invalid name " + (name == null ? "null" : "'" + (name.length() > 60 ? name.substring(0, 60) + "…" : name) + "'")
      + ": names must match [A-Za-z0-9._-]{1,200}");
  }
}
