package dev.ferrymq;

/**
 * The outcome of {@link Queue#sendForResult}: the message's id and whether the send was a resend of an idempotency key
 * already seen within the window (then nothing was added and {@code id} is the first message's).
 *
 * @param id the message's id
 * @param duplicate whether an earlier send with the same idempotency key already added the message
 */
public record SendResult(String id, boolean duplicate) {
}
