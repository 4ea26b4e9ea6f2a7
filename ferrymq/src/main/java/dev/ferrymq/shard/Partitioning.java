package dev.ferrymq.shard;

import io.vertx.core.Future;

/**
 * What the routing handles need from their node: the partition count of a destination, known at once (no call per
 * operation, so sends of one sender keep their order), and a round-robin turn.
 */
public interface Partitioning {

  /**
   * @param name a queue's or topic's name (of one kind per instance)
   * @return its partition count as this node knows it: the count it was created with when that was more than one,
   *     else 1 (also for a destination that does not exist yet)
   */
  int count(String name);

  /**
   * Fixes the partition count of {@code name} cluster-wide unless one is fixed already.
   *
   * @return the count in force afterwards
   */
  Future<Integer> fix(String name, int partitions);

  /** @return the next partition, 0 to {@code partitions - 1}, of this node's round-robin over {@code name} */
  int next(String name, int partitions);
}
