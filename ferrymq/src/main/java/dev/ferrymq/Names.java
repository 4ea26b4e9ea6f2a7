package dev.ferrymq;


/**
 * The one rule for queue, topic and address names: {@code [A-Za-z0-9._-]{1,200}}; and the internal names of the
 * partitions of a partitioned destination ({@code orders~3}), which contain {@code ~} and so never collide with a name
 * a user can give.
 */
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

  /** Separates a partitioned destination's name from its partition's index in the partition's internal name. */
  public static final char PARTITION_SEPARATOR = '~';

  /** @return the internal name of partition {@code index} of destination {@code name}: {@code name~index} */
  public static String partition(String name, int index) {
    return name + PARTITION_SEPARATOR + index;
  }

  /** @return whether {@code name} is the internal name of a partition ({@code <valid name>~<index>}) */
  public static boolean isPartition(String name) {
    int sep = name == null ? -1 : name.lastIndexOf(PARTITION_SEPARATOR);
    if (sep < 1 || sep == name.length() - 1 || name.length() - sep > 4) {
      return false;
    }
    for (int i = sep + 1; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return valid(name.substring(0, sep));
  }

  /** @return the destination a partition's internal name belongs to; {@code name} itself for any other name */
  public static String destinationOf(String name) {
    return isPartition(name) ? name.substring(0, name.lastIndexOf(PARTITION_SEPARATOR)) : name;
  }

  /** @return whether {@code name} is a valid name or a partition's internal name */
  public static boolean validOrPartition(String name) {
    return valid(name) || isPartition(name);
  }
}
