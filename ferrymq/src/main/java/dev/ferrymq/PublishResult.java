package dev.ferrymq;

/**
 * The outcome of {@link Topic#publishForResult}.
 *
 * @param seq the message's sequence number in its topic
 * @param id the message's unique id
 */
public record PublishResult(long seq, String id) {
}
