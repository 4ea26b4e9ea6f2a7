package dev.ferrymq.http;

import dev.ferrymq.TopicMessage;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SSE bytes of recent topic messages, so a message fanned out to many streams of a node is turned into text and
 * encoded once, not once per stream. A node hands the same {@link TopicMessage} instance to all its subscribers, so
 * entries match by identity; a small fixed table bounds the memory, and a miss only costs an encoding.
 */
final class EventCache {

  private static final int SLOTS = 64;
  /** Larger events are encoded per stream rather than kept. */
  private static final int MAX_CACHED_BYTES = 64 * 1024;

  private record Entry(TopicMessage message, Buffer bytes) {
  }

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

  /** @return {@code id: <seq>}, {@code event: message} and the payload as data lines */
  Buffer encoded(TopicMessage m) {
    int slot = (int) ((m.topic().hashCode() * 31L + m.seq()) & (SLOTS - 1));
    Entry e = slots.get(slot);
    if (e != null && e.message == m) {
      return e.bytes;
    }
    Buffer bytes = SseStream.encode(Long.toString(m.seq()), "message", SseStream.text(m.payload()));
    if (bytes.length() <= MAX_CACHED_BYTES) {
      slots.set(slot, new Entry(m, bytes));
    }
    return bytes;
  }
}
