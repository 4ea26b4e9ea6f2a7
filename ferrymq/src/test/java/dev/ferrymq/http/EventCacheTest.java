package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.TopicMessage;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCacheTest {

  private static TopicMessage message(long seq, String text) {
    return new TopicMessage("t", seq, "id-" + seq, 0, "text/plain", Map.of(), Buffer.buffer(text));
  }

  @Test
  void oneMessageIsEncodedOnceForAllStreams() {
    EventCache cache = new EventCache();
    TopicMessage m = message(7, "a\nb");
    Buffer first = cache.encoded(m);
    assertThat(first.toString()).isEqualTo("id: 7\nevent: message\ndata: a\ndata: b\n\n");
    assertThat(cache.encoded(m)).isSameAs(first);
  }

  @Test
  void anEqualButOtherMessageIsEncodedAgainAndBinaryStaysBase64() {
    EventCache cache = new EventCache();
    Buffer first = cache.encoded(message(1, "x"));
    assertThat(cache.encoded(message(1, "x"))).isNotSameAs(first).isEqualTo(first);
    TopicMessage binary = new TopicMessage("t", 2, "id", 0, null, Map.of(), Buffer.buffer(new byte[] {0, (byte) 0xff}));
    assertThat(cache.encoded(binary).toString()).isEqualTo("id: 2\nevent: message\ndata: base64:AP8=\n\n");
  }
}
