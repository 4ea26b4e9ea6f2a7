package dev.ferrymq.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal SSE client for tests, parsing events the way a browser's EventSource does. */
final class SseClient {

  /** One dispatched event (or a block with only an id or a comment, kept to check the wire format). */
  record Event(String id, String event, String data, String comment) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  final StringBuilder raw = new StringBuilder();
  volatile HttpClientResponse response;
  volatile boolean closed;
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();

  private SseClient(HttpClient client) {
    this.client = client;
  }

  static SseClient open(Vertx vertx, int port, String uri, String lastEventId) {
    return open(vertx.createHttpClient(new HttpClientOptions()), port, uri, lastEventId);
  }

  /** Opens the stream with {@code client} (over HTTP/2, several streams share its connection). */
  static SseClient open(HttpClient client, int port, String uri, String lastEventId) {
    SseClient sse = new SseClient(client);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI(uri).addHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.addHeader("Last-Event-ID", lastEventId);
    }
    // Handlers are set as the response arrives, on its event loop, so no chunk is missed.
    sse.response = client.request(options).compose(req -> req.send().map(resp -> {
      resp.handler(buf -> sse.onText(buf.toString(StandardCharsets.UTF_8)));
      resp.endHandler(v -> sse.closed = true);
      resp.exceptionHandler(e -> sse.closed = true);
      return resp;
    })).await();
    return sse;
  }

  private synchronized void onText(String text) {
    raw.append(text);
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      parse(block);
    }
  }

  private void parse(String block) {
    String id = null;
    String event = null;
    StringBuilder data = null;
    String comment = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith(":")) {
        comment = line.substring(1).trim();
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { }
      }
    }
    events.add(new Event(id, event, data == null ? null : data.toString(), comment));
  }

  /** @return the events carrying data, of type {@code type} */
  List<Event> of(String type) {
    return events.stream().filter(e -> e.data != null && type.equals(e.event)).toList();
  }

  /** @return the last id the stream set, as EventSource keeps it */
  String lastId() {
    String id = null;
    for (Event e : events) {
      if (e.id != null) {
        id = e.id;
      }
    }
    return id;
  }

  synchronized String raw() {
    return raw.toString();
  }

  void close() {
    client.close();
  }
}
