package dev.ferrymq.topic;

import dev.ferrymq.TopicMessage;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** The binary form of consecutive topic messages on the event bus: {@code [count] ([length][envelope])*}. */
final class TopicBatch {

  private TopicBatch() {
  }

  static Buffer encode(List<byte[]> envelopes) {
    int size = 4;
    for (byte[] e : envelopes) {
      size += 4 + e.length;
    }
    Buffer out = Buffer.buffer(size).appendInt(envelopes.size());
    for (byte[] e : envelopes) {
      out.appendInt(e.length).appendBytes(e);
    }
    return out;
  }

  static List<TopicMessage> decode(String topic, long firstSeq, Buffer in) {
    int n = in.getInt(0);
    List<TopicMessage> out = new ArrayList<>(n);
    int pos = 4;
    for (int i = 0; i < n; i++) {
      int len = in.getInt(pos);
      out.add(message(topic, firstSeq + i, Envelope.decode(in, pos + 4)));
      pos += 4 + len;
    }
    return out;
  }

  static TopicMessage message(String topic, long seq, Envelope env) {
    return new TopicMessage(topic, seq, env.id(), env.timestamp(), env.contentType(), env.headers(), env.payload());
  }
}
