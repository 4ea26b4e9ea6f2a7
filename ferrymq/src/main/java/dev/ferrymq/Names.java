package dev.ferrymq;


/** The one rule for queue, topic and address names: {@code [A-Za-z0-9._-]{1,200}}. */
public final class Names {

  private Names() {
  }

  /** @return whether {@code name} is a valid name */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || name.length() > 200) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** @return {@code name} when valid, else {@link InvalidNameException} is thrown */
  public static String check(String name) {
    if (!valid(name)) {
      throw new InvalidNameException(name);
    }
    return name;
  }
}
