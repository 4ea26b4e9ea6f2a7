package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishes the lines of stdin through the batch route, {@code batch} lines (or 512 KiB of JSON) per request. A batch
 * goes as soon as no more input is waiting. Messages the node refused for a while (429 full, 503 unavailable) are
 * sent again, only those, for up to {@code retryFor}; then the command stops and says how many were sent.
 */
final class LinePublisher {

  private static final int MAX_BATCH_CHARS = 512 * 1024;

  private final FerryCommand top;
  private final Destination to;
  private final JsonObject template;
  private final int batch;
  private final Progress progress;
  private final long retryForNanos;
  private long lineNumber;

  LinePublisher(FerryCommand top, Destination to, String contentType, Map<String, String> headers, int batch,
                java.time.Duration retryFor) {
    this.top = top;
    this.to = to;
    this.template = new JsonObject().put("contentType", contentType);
    if (headers != null && !headers.isEmpty()) {
      JsonObject h = new JsonObject();
      headers.forEach(h::put);
      template.put("headers", h);
    }
    this.batch = batch;
    this.progress = top.progress("sent");
    this.retryForNanos = retryFor.toNanos();
  }

  void run() {
    BufferedReader in = new BufferedReader(new InputStreamReader(top.io.in(), StandardCharsets.UTF_8));
    try {
      List<JsonObject> items = new ArrayList<>();
      int chars = 0;
      String line;
      while ((line = in.readLine()) != null) {
        JsonObject item = template.copy().put("data", line);
        items.add(item);
        chars += line.length() * 2 + 64;
        if (items.size() >= batch || chars >= MAX_BATCH_CHARS || !in.ready()) {
          sendFitting(items);
          items.clear();
          chars = 0;
        }
      }
      if (!items.isEmpty()) {
        sendFitting(items);
      }
    } catch (IOException e) {
      throw new CliException(Exit.USAGE, "could not read stdin: " + e.getMessage());
    } finally {
      progress.done();
    }
    if (!top.json) {
      top.io.out().println("sent " + progress.count() + " messages to " + to);
    }
  }

  /** Sends {@code items}; a batch over the node's body limit (413) goes again as two halves. */
  private void sendFitting(List<JsonObject> items) {
    try {
      send(items);
    } catch (TooLarge e) {
      if (items.size() == 1) {
        throw new CliException(Exit.USAGE, "line " + (lineNumber + 1) + " is larger than the node takes in one"
          + " request (its gateway.bodyLimit)");
      }
      int half = items.size() / 2;
      sendFitting(new ArrayList<>(items.subList(0, half)));
      sendFitting(new ArrayList<>(items.subList(half, items.size())));
    }
  }

  /** Sends {@code items} (lines {@code lineNumber + 1...}), retrying the refused ones; prints each outcome in order. */
  private void send(List<JsonObject> items) {
    JsonObject[] outcomes = new JsonObject[items.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      pending.add(i);
    }
    long since = System.nanoTime();
    NodeClient client = top.client();
    while (!pending.isEmpty()) {
      JsonArray body = new JsonArray();
      pending.forEach(i -> body.add(items.get(i)));
      HttpResponse<String> r;
      try {
        r = client.send(client.request(to.path() + "/messages/batch", NodeClient.TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      } catch (CliException e) { // no answer: the batch on its way may or may not have been taken
        printSent(outcomes);
        throw new CliException(e.exitCode(), e.getMessage() + "; " + progress.count() + " messages confirmed, line "
          + (lineNumber + pending.get(0) + 1) + " and the " + (pending.size() - 1) + " after it in its batch unknown");
      }
      JsonArray answers = answers(client, r, pending.size());
      List<Integer> refused = new ArrayList<>();
      JsonObject refusal = null;
      for (int k = 0; k < pending.size(); k++) {
        JsonObject a = answers.getJsonObject(k);
        if (a.containsKey("id")) {
          outcomes[pending.get(k)] = a;
        } else {
          refused.add(pending.get(k));
          refusal = refusal == null ? a : refusal;
        }
      }
      pending = refused;
      if (refusal != null) {
        int status = refusal.getInteger("status", 503);
        String why = "line " + (lineNumber + pending.get(0) + 1) + " refused: " + refusal.getString("detail",
          refusal.getString("type", "HTTP " + status));
        if (status != 429 && status != 503 || System.nanoTime() - since >= retryForNanos) {
          printSent(outcomes);
          throw new CliException(Exit.ofStatus(status), why + " (" + progress.count() + " messages sent)");
        }
        pause(r);
      }
    }
    printSent(outcomes);
    lineNumber += items.size();
  }

  /**
   * @return one answer per message sent: the batch's 201, the members of its {@code batch-failed} problem, or — when
   *   the whole request was refused for a while (429, 503) — that refusal for each
   */
  private static JsonArray answers(NodeClient client, HttpResponse<String> r, int count) {
    if (r.statusCode() == 201 || r.statusCode() == 200) {
      return NodeClient.json(r).getJsonArray("messages");
    }
    if (r.statusCode() == 413) {
      throw new TooLarge();
    }
    JsonObject problem = new JsonObject();
    try {
      problem = new JsonObject(r.body());
    } catch (RuntimeException e) {
      // not a problem document
    }
    if (problem.getValue("messages") instanceof JsonArray items && items.size() == count) {
      return items;
    }
    if (r.statusCode() == 503 || r.statusCode() == 429) {
      JsonArray all = new JsonArray();
      JsonObject refusal = new JsonObject().put("status", r.statusCode())
        .put("detail", problem.getString("detail", "HTTP " + r.statusCode()));
      for (int i = 0; i < count; i++) {
        all.add(refusal);
      }
      return all;
    }
    throw client.failure(r.statusCode(), r.body());
  }

  private void printSent(JsonObject[] outcomes) {
    int n = 0;
    for (JsonObject o : outcomes) {
      if (o == null) {
        continue;
      }
      n++;
      if (top.json) {
        top.io.out().println(Output.tagged(to.kind(), to.name(), o).encode());
      }
    }
    top.io.out().flush();
    progress.add(n);
  }

  private static void pause(HttpResponse<String> r) {
    long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
    try {
      Thread.sleep(Math.max(1, Math.min(seconds, 5)) * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.UNAVAILABLE, "interrupted");
    }
  }

  /** The node refused a batch for its size: nothing of it was sent. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }
}
