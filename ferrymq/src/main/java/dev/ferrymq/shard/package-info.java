/**
 * Partitioned queues and topics: a destination with {@code partitions: K} is K ordinary destinations with internal
 * names ({@code orders~0} … {@code orders~K-1}, see {@link dev.ferrymq.Names#partition}), each with its own owner. The
 * handles here route each operation over the public API: sends by partition key (round-robin without one), consumers
 * and subscriptions to every partition, leases back to the partition they came from.
 */
package dev.ferrymq.shard;
