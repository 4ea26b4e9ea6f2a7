package dev.ferrymq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads Server-Sent Events (the WHATWG rules that matter here: fields, multi-line data, comments, retry). */
final class SseReader {

  /** One event: its id (or {@code null}), type ({@code message} by default) and data lines joined with newlines. */
  record Event(String id, String type, String data) {
  }

  private final BufferedReader in;
  private long retryMillis = 2000;
  private String idBuffer;
  private String lastId;

  SseReader(InputStream in) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** @return the next event with data, or {@code null} when the stream ended */
  Event next() throws IOException {
    String type = null;
    StringBuilder data = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        lastId = idBuffer;
        if (data != null) {
          return new Event(lastId, type == null ? "message" : type, data.toString());
        }
        type = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
      switch (field) {
        case "id" -> idBuffer = value;
        case "event" -> type = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "retry" -> {
          if (value.matches("\\d{1,9}")) {
            retryMillis = Long.parseLong(value);
          }
        }
        default -> {
          // unknown fields are ignored
        }
      }
    }
    return null;
  }

  /** @return the reconnection delay the server asked for ({@code retry:}), 2 s until it says */
  long retryMillis() {
    return retryMillis;
  }

  /**
   * @return the stream's last event id, what a reconnection sends as {@code Last-Event-ID} (also set by an event
   *   without data: the start position FerryMQ sends first), or {@code null}
   */
  String lastId() {
    return lastId;
  }

  void close() {
    try {
      in.close();
    } catch (IOException e) {
      // closing a broken stream
    }
  }
}
