package dev.ferrymq;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How payloads, which are bytes, are written where only text fits (JSON, SSE). */
public final class Payloads {

  private Payloads() {
  }

  /** @return the payload as text when it is valid UTF-8, else {@code null} */
  public static String utf8OrNull(Buffer payload) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(payload.getBytes()))
        .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Puts the payload in {@code json} as {@code "data"}: UTF-8 text as is, other bytes as base64 with
   * {@code "encoding":"base64"}.
   */
  public static JsonObject putPayload(JsonObject json, Buffer payload) {
    String text = utf8OrNull(payload);
    if (text != null) {
      return json.put("data", text);
    }
    return json.put("data", Base64.getEncoder().encodeToString(payload.getBytes())).put("encoding", "base64");
  }
}
