package dev.ferrymq.queue;

import io.vertx.core.buffer.Buffer;

/** A queue entry as Hazelcast keeps it: {@code [deliveryCount int][dueAt long][expiresAt long][envelope]}. */
final class StoredValue {

  static final int HEADER = 20;

  private StoredValue() {
  }

  static byte[] of(QueueState.Entry e) {
    return Buffer.buffer(HEADER + e.envelope.length).appendInt(e.deliveryCount).appendLong(e.dueAt)
      .appendLong(e.expiresAt).appendBytes(e.envelope).getBytes();
  }

  static int deliveryCount(Buffer value) {
    return value.getInt(0);
  }

  static long dueAt(Buffer value) {
    return value.getLong(4);
  }

  static long expiresAt(Buffer value) {
    return value.getLong(12);
  }
}
