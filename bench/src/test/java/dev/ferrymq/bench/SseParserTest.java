package dev.ferrymq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<SseParser.Event> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  void eventsSplitAcrossChunksAtAnyByte() {
    String stream = "retry: 2000\n\n: ferrymq\n\nid: 4\n\nid: 5\nevent: message\ndata: héllo\ndata: world\n\n"
      + "event: gap\ndata: {}\r\n\r\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(events).containsExactly(new SseParser.Event("5", "message", "héllo\nworld"),
      new SseParser.Event("5", "gap", "{}"));
  }

  @Test
  void idWithoutDataIsTheStartMarker() {
    List<String> ids = new ArrayList<>();
    parser.idHandler(ids::add);
    parser.handle(Buffer.buffer("retry: 2000\n\nid: 41\n\nid: 42\nevent: message\ndata: x\n\n"));
    assertThat(ids).containsExactly("41");
    assertThat(events).containsExactly(new SseParser.Event("42", "message", "x"));
  }

  @Test
  void wholeStreamInOneChunk() {
    parser.handle(Buffer.buffer("id: a-1\nevent: delivery\ndata: {\"x\":1}\n\ndata:no space\n\n"));
    assertThat(events).containsExactly(new SseParser.Event("a-1", "delivery", "{\"x\":1}"),
      new SseParser.Event("a-1", "message", "no space"));
  }

  @Test
  void textStampRoundTrip() {
    Load load = new Load(64, 10, 1);
    String text = load.textPayload().toString();
    assertThat(text).hasSize(64);
    long stamp = Load.textStamp(text, 0);
    assertThat(stamp).isGreaterThanOrEqualTo(0);
    assertThat(Load.textStamp("{\"data\":\"" + text, 9)).isEqualTo(stamp);
    assertThat(Load.textStamp("zz", 0)).isEqualTo(-1);
  }
}
