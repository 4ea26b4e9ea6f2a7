package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The delivery JSON's payload member, written straight to bytes, says what {@link Payloads#putPayload} says. */
class JsonBytesTest {

  private static final byte[] SPECIAL = {0x00, 0x0a, 0x1f, '"', '\\', (byte) 0x80, (byte) 0xc3, (byte) 0xff};

  @Test
  void plainAsciiFindsEachSpecialByteAtEachPosition() {
    for (int len = 0; len <= 40; len++) {
      byte[] plain = new byte[len];
      for (int i = 0; i < len; i++) {
        plain[i] = (byte) (i % 3 == 0 ? ' ' : i % 3 == 1 ? '~' : 'a' + i % 26); // 0x20 and 0x7e are plain
      }
      assertThat(JsonBytes.plainAscii(Buffer.buffer(plain))).as("length %d", len).isTrue();
      for (int pos = 0; pos < len; pos++) {
        for (byte s : SPECIAL) {
          byte[] b = plain.clone();
          b[pos] = s;
          assertThat(JsonBytes.plainAscii(Buffer.buffer(b))).as("length %d, 0x%02x at %d", len, s, pos).isFalse();
          // a slice starts inside its backing array: the special byte just outside it does not count
          Buffer around = Buffer.buffer().appendByte(s).appendBytes(plain).appendByte(s);
          assertThat(JsonBytes.plainAscii(around.slice(1, 1 + len))).as("slice of %d", len).isTrue();
          assertThat(JsonBytes.plainAscii(Buffer.buffer().appendByte((byte) 'x').appendBytes(b).slice(1, 1 + len)))
            .as("slice of %d, 0x%02x at %d", len, s, pos).isFalse();
        }
      }
    }
  }

  @Test
  void payloadMemberIsTheJsonObjectOne() {
    Random random = new Random(42);
    String[] samples = {"", "plain text of some length, nothing to escape at all here", "quote \" backslash \\ end",
      "tab\tnew\nline\rcontrol\u0001", "caf\u00e9 \u2603 unicode", "x".repeat(1024)};
    for (String s : samples) {
      check(Buffer.buffer(s.getBytes(StandardCharsets.UTF_8)));
    }
    for (int n = 0; n < 200; n++) {
      byte[] b = new byte[random.nextInt(64)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(10) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (byte) (0x20 + random.nextInt(95));
      }
      check(Buffer.buffer(b));
    }
  }

  private static void check(Buffer payload) {
    Buffer out = Buffer.buffer("{");
    JsonBytes.payload(out, payload).appendString("}");
    assertThat(new JsonObject(out)).isEqualTo(Payloads.putPayload(new JsonObject(), payload));
  }
}
