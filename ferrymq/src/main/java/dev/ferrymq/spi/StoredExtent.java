package dev.ferrymq.spi;

/**
 * How much of a queue a store holds after a sequence number: what a paging queue has out of memory.
 *
 * @param messages how many messages
 * @param bytes the bytes of their envelopes
 * @param lastSeq the highest seq among them, 0 if none
 */
public record StoredExtent(long messages, long bytes, long lastSeq) {

  /** Nothing stored. */
  public static final StoredExtent EMPTY = new StoredExtent(0, 0, 0);
}
