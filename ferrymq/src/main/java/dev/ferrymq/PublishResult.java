package dev.ferrymq;

/**
 * The outcome of {@link Topic#publishForResult}.
 *
 * @param seq the message's sequence number in its topic
 * @param id the message's unique id
 * @param partition the partition it went to when the topic is partitioned ({@code seq} counts within it), else -1
 */
public record PublishResult(long seq, String id, int partition) {

  /** The outcome of a publish to a topic that is not partitioned. */
  public PublishResult(long seq, String id) {
    this(seq, id, -1);
  }
}
