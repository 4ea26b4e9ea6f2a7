package dev.ferrymq.bench;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a Server-Sent Events byte stream, chunk by chunk, into events (the load generator's own small client; it
 * keeps the last {@code id}, as a browser does, and ignores comments and {@code retry}).
 */
final class SseParser implements Handler<Buffer> {

  /** One dispatched event; {@code data} lines are joined with {@code \n}. */
  record Event(String id, String event, String data) {
  }

  private final Handler<Event> handler;
  private Handler<String> idHandler = id -> { };
  private byte[] carry = new byte[0];
  private String id;
  private String event;
  private String firstData;
  private StringBuilder data;
  private boolean idSet;

  SseParser(Handler<Event> handler) {
    this.handler = handler;
  }

  /** Calls {@code idHandler} for a block that sets an id without data (FerryMQ's stream start marker). */
  SseParser idHandler(Handler<String> idHandler) {
    this.idHandler = idHandler;
    return this;
  }

  @Override
  public void handle(Buffer chunk) {
    byte[] bytes;
    if (carry.length > 0) {
      bytes = new byte[carry.length + chunk.length()];
      System.arraycopy(carry, 0, bytes, 0, carry.length);
      chunk.getBytes(bytes, carry.length);
    } else {
      bytes = chunk.getBytes();
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        line(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    carry = start == bytes.length ? new byte[0] : java.util.Arrays.copyOfRange(bytes, start, bytes.length);
  }

  private void line(String line) {
    if (line.isEmpty()) {
      if (data != null || firstData != null) {
        handler.handle(new Event(id, event == null ? "message" : event, data != null ? data.toString() : firstData));
      } else if (idSet) {
        idHandler.handle(id);
      }
      idSet = false;
      firstData = null;
      data = null;
      event = null;
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(": ", colon) ? 2 : 1));
    switch (field) {
      case "id" -> {
        id = value;
        idSet = true;
      }
      case "event" -> event = value;
      case "data" -> {
        if (firstData == null) {
          firstData = value; // the common case, one data line: no copy into a builder
        } else {
          data = (data == null ? new StringBuilder(firstData) : data).append('\n').append(value);
        }
      }
      default -> { }
    }
  }
}
