package dev.ferrymq.shard;

import io.vertx.core.Future;

/** What the routing handles need from their node: the partition count of a destination and a round-robin turn. */
public interface Partitioning {

  /**
   * @param name a queue's or topic's name (of one kind per instance)
   * @return its partition count when the cluster knows one (the destination exists, or existed since the cluster
   *     started), else {@code null}: it takes one partition until configured
   */
  Future<Integer> count(String name);

  /**
   * Fixes the partition count of {@code name} unless one is fixed already.
   *
   * @return the count in force afterwards
   */
  Future<Integer> fix(String name, int partitions);

  /** @return the next partition, 0 to {@code partitions - 1}, of this node's round-robin over {@code name} */
  int next(String name, int partitions);
}
