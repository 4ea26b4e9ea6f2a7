package dev.ferrymq.shard;

import dev.ferrymq.LeaseNotFoundException;

/**
 * The lease ids of a partitioned queue: {@code <partition>~<lease id of the partition>}, so an ack (also over HTTP,
 * where the id is all a client keeps) goes to the partition the delivery came from.
 */
final class LeaseIds {

  private LeaseIds() {
  }

  static String encode(int partition, String lease) {
    return lease == null ? null : partition + "~" + lease;
  }

  /** @return the partition of {@code id}; {@link LeaseNotFoundException} when it names none of {@code partitions} */
  static int partition(String queue, String id, int partitions) {
    int sep = id == null ? -1 : id.indexOf('~');
    try {
      int p = Integer.parseInt(id.substring(0, sep));
      if (p >= 0 && p < partitions && sep < id.length() - 1) {
        return p;
      }
    } catch (RuntimeException e) {
      // not one of ours: answered below
    }
    throw new LeaseNotFoundException("no lease '" + cut(id) + "' in queue '" + queue + "': the leases of a partitioned"
      + " queue look like <partition>~<id>, as its deliveries give them");
  }

  /** @return the lease id of the partition within {@code id} */
  static String lease(String id) {
    return id.substring(id.indexOf('~') + 1);
  }

  private static String cut(String id) {
    return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
  }
}
