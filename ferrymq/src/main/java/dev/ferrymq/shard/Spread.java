package dev.ferrymq.shard;

/** Which partition a message goes to: by its partition key, the same on every node and release; else round-robin. */
final class Spread {

  private Spread() {
  }

  /** @return the partition of {@code key} among {@code partitions} */
  static int ofKey(String key, int partitions) {
    int h = key.hashCode(); // specified by the JLS, so stable across JVMs
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return Math.floorMod(h, partitions);
  }

  /** @return the partition for a message with {@code key} ({@code null}: the next in turn) */
  static int pick(String key, String name, int partitions, Partitioning partitioning) {
    return key == null ? partitioning.next(name, partitions) : ofKey(key, partitions);
  }
}
