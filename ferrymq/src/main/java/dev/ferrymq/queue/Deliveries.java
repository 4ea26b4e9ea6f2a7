package dev.ferrymq.queue;

import dev.ferrymq.Delivery;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** The binary form of deliveries on the event bus: {@code [count] ([leaseId][deliveryCount][length][envelope])*}. */
final class Deliveries {

  private Deliveries() {
  }

  /** Deliveries gathered for one consumer, sent as one event-bus message. */
  static final class Batch {
    /** A batch this large is sent at once, and the next one started. */
    static final int MAX_BYTES = 64 * 1024;
    private final int capacity;
    private Buffer out;
    private int n;

    /** @param expected how many deliveries of about {@code size} bytes are likely to come (sizes the buffer) */
    Batch(int expected, int size) {
      this.capacity = (int) Math.min(MAX_BYTES + size + 64L, 4 + (long) Math.max(1, expected) * (size + 64));
    }

    void add(String leaseId, int deliveryCount, byte[] envelope) {
      if (out == null) {
        out = Buffer.buffer(Math.max(capacity, envelope.length + 64)).appendInt(0);
      }
      append(out, leaseId, deliveryCount, envelope);
      n++;
    }

    boolean full() {
      return out != null && out.length() >= MAX_BYTES;
    }

    /** @return the batch's buffer, and starts an empty one */
    Buffer take() {
      Buffer b = out.setInt(0, n);
      out = null;
      n = 0;
      return b;
    }

    boolean isEmpty() {
      return n == 0;
    }
  }

  static void append(Buffer out, String leaseId, int deliveryCount, byte[] envelope) {
    Envelope.putString(out, leaseId);
    out.appendInt(deliveryCount).appendInt(envelope.length).appendBytes(envelope);
  }

  /** @param autoAcked whether the deliveries were removed from the queue as they were handed over (no leases) */
  static List<Delivery> decode(Buffer in, QueueImpl queue, boolean autoAcked) {
    int n = in.getInt(0);
    List<Delivery> out = new ArrayList<>(n);
    int[] p = {4};
    for (int i = 0; i < n; i++) {
      String leaseId = Envelope.getString(in, p);
      int count = in.getInt(p[0]);
      int len = in.getInt(p[0] + 4);
      Envelope env = Envelope.decode(in, p[0] + 8);
      p[0] += 8 + len;
      out.add(new DeliveryImpl(queue, leaseId, count, env, autoAcked));
    }
    return out;
  }
}
