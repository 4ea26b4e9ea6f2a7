package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.Delivery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SSE delivery event and a pull's answer, written straight to bytes, say exactly what the {@code JsonObject} form
 * says.
 */
class DeliveryEventTest {

  private record Fixed(String leaseId, String contentType, Map<String, String> headers, Buffer payload)
    implements Delivery {

    @Override
    public String queue() {
      return "q";
    }

    @Override
    public String messageId() {
      return "m-1";
    }

    @Override
    public int deliveryCount() {
      return 3;
    }

    @Override
    public long timestamp() {
      return 1_700_000_000_123L;
    }

    @Override
    public Future<Void> ack() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> nack(Duration delay) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> reject() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> extend(Duration visibility) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> reply(Buffer payload, String contentType) {
      return Future.succeededFuture();
    }

    @Override
    public boolean expectsReply() {
      return false;
    }
  }

  /** @return the data of the one event in {@code event}, after checking its id and type lines */
  private static JsonObject data(Buffer event, String leaseId) {
    String text = event.toString(StandardCharsets.UTF_8);
    String head = "id: " + leaseId + "\nevent: delivery\ndata: ";
    assertThat(text).startsWith(head).endsWith("\n\n");
    String data = text.substring(head.length(), text.length() - 2);
    assertThat(data).doesNotContain("\n", "\r");
    return new JsonObject(data);
  }

  private static void same(Delivery d) {
    assertThat(data(Json.deliveryEvent(d), d.leaseId())).isEqualTo(Json.delivery(d));
    // and as one element of a pull's answer, beside another
    Delivery plain = new Fixed("1-1", "text/plain", Map.of(), Buffer.buffer("plain"));
    assertThat(new JsonArray(Json.deliveries(List.of(plain, d)))).isEqualTo(new JsonArray().add(Json.delivery(plain))
      .add(Json.delivery(d)));
  }

  @Test
  void anEmptyPullAnswerIsAnEmptyArray() {
    assertThat(Json.deliveries(List.of()).toString()).isEqualTo("[]");
  }

  @Test
  void asciiTextWithCharactersJsonMustEscape() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("trace", "a\"b\\c");
    headers.put("k\tey", "é ü €");
    same(new Fixed("7-1", "text/plain", headers, Buffer.buffer("line 1\nline \"2\"\r\n\t\\ \u0001 end")));
  }

  @Test
  void utf8TextNullContentTypeAndNoHeaders() {
    same(new Fixed("8-2", null, Map.of(), Buffer.buffer("grüße, 日本語, emoji 😀 and a \u0000 nul")));
  }

  @Test
  void bytesThatAreNotUtf8GoAsBase64() {
    Buffer bytes = Buffer.buffer(new byte[] {0, (byte) 0xff, (byte) 0xc3, 'a'});
    JsonObject json = data(Json.deliveryEvent(new Fixed("9-1", "application/octet-stream", Map.of(), bytes)), "9-1");
    assertThat(json.getString("encoding")).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(json.getString("data"))).isEqualTo(bytes.getBytes());
    same(new Fixed("9-1", "application/octet-stream", Map.of(), bytes));
  }

  @Test
  void emptyPayload() {
    same(new Fixed("10-1", "text/plain", Map.of("a", ""), Buffer.buffer()));
  }
}
