package dev.ferrymq.queue;

import dev.ferrymq.Delivery;
import dev.ferrymq.broker.Envelope;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** The binary form of deliveries on the event bus: {@code [count] ([leaseId][deliveryCount][length][envelope])*}. */
final class Deliveries {

  private Deliveries() {
  }

  static Buffer one(String leaseId, int deliveryCount, byte[] envelope) {
    Buffer out = Buffer.buffer(envelope.length + 64).appendInt(1);
    append(out, leaseId, deliveryCount, envelope);
    return out;
  }

  static void append(Buffer out, String leaseId, int deliveryCount, byte[] envelope) {
    Envelope.putString(out, leaseId);
    out.appendInt(deliveryCount).appendInt(envelope.length).appendBytes(envelope);
  }

  static List<Delivery> decode(Buffer in, QueueImpl queue) {
    int n = in.getInt(0);
    List<Delivery> out = new ArrayList<>(n);
    int[] p = {4};
    for (int i = 0; i < n; i++) {
      String leaseId = Envelope.getString(in, p);
      int count = in.getInt(p[0]);
      int len = in.getInt(p[0] + 4);
      Envelope env = Envelope.decode(in, p[0] + 8);
      p[0] += 8 + len;
      out.add(new DeliveryImpl(queue, leaseId, count, env));
    }
    return out;
  }
}
