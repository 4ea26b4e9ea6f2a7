package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferrymq subscribe}: tails a topic over SSE ({@code GET /topics/{t}/events}). When the node ends the stream
 * (it is stopping, or cannot serve it for a moment) it reconnects after the node's {@code retry:} hint with
 * {@code Last-Event-ID}, so no message is skipped; a node that stays unreachable for a minute ends it (exit 4).
 */
@Command(name = "subscribe", description = {"Prints a topic's messages as they come, until Ctrl-C or --max.",
  "People get each payload on a line; --json gives {\"topic\",\"seq\",\"data\"[,\"encoding\"]} per line."})
final class SubscribeCommand implements Callable<Integer> {

  private static final long GIVE_UP_NANOS = 60_000_000_000L;

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic")
  String topic;

  @Option(names = "--from", paramLabel = "earliest|latest|SEQ", defaultValue = "latest",
    description = "where to start: the oldest kept message, new ones only (default), or after SEQ")
  String from;

  @Option(names = "--max", paramLabel = "N", description = "stop after N messages")
  long max;

  private long received;

  @Override
  public Integer call() throws InterruptedException {
    String lastId = null;
    long unreachableSince = 0;
    while (true) {
      HttpResponse<InputStream> r;
      try {
        r = open(lastId);
        unreachableSince = 0;
      } catch (CliException e) {
        if (e.exitCode() != Exit.UNAVAILABLE || lastId == null) {
          throw e;
        }
        unreachableSince = unreachableSince == 0 ? System.nanoTime() : unreachableSince;
        if (System.nanoTime() - unreachableSince > GIVE_UP_NANOS) {
          throw e;
        }
        Thread.sleep(2000);
        continue;
      }
      SseReader sse = new SseReader(top.client().ok(r).body());
      try {
        if (read(sse)) {
          return Exit.OK;
        }
      } catch (IOException e) {
        // the stream broke: reconnect where it stopped
      } finally {
        lastId = sse.lastId() != null ? sse.lastId() : lastId;
        sse.close();
      }
      top.io.warn("the stream of topic " + topic + " ended; reconnecting in " + sse.retryMillis() + " ms"
        + (lastId == null ? "" : " after seq " + lastId));
      Thread.sleep(sse.retryMillis());
    }
  }

  private HttpResponse<InputStream> open(String lastId) {
    NodeClient client = top.client();
    HttpRequest.Builder b = client.request("/topics/" + NodeClient.segment(topic) + "/events?from="
      + NodeClient.query(from), null).header("Accept", "text/event-stream").GET();
    if (lastId != null) {
      b.header("Last-Event-ID", lastId);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Prints the stream's messages. @return whether {@code --max} was reached (or stdout closed) */
  private boolean read(SseReader sse) throws IOException {
    for (SseReader.Event e = sse.next(); e != null; e = sse.next()) {
      if (e.type().equals("gap")) {
        JsonObject gap = new JsonObject(e.data());
        top.io.warn("messages after " + gap.getLong("requested") + " up to " + (gap.getLong("oldest") - 1)
          + " of topic " + topic + " are no longer kept; going on from " + gap.getLong("oldest"));
        continue;
      }
      if (!e.type().equals("message")) {
        continue;
      }
      boolean encoded = e.data().startsWith("base64:");
      String data = encoded ? e.data().substring("base64:".length()) : e.data();
      if (top.json) {
        JsonObject line = new JsonObject().put("topic", topic)
          .put("seq", e.id() == null ? null : Long.valueOf(e.id())).put("data", data);
        top.io.out().println((encoded ? line.put("encoding", "base64") : line).encode());
      } else {
        Output.payload(top.io.out(), data, encoded);
      }
      top.io.out().flush();
      if (top.io.out().checkError()) {
        return true;
      }
      if (++received == max) {
        return true;
      }
    }
    return false;
  }
}
