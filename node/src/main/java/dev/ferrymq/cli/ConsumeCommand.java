package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferrymq consume}: takes messages from a queue with long-polls ({@code POST /queues/{q}/leases}), prints
 * them and, with {@code --ack} (the default), acks each batch once it is printed: a message leaves the queue only
 * after it was written out (at-least-once). {@code --no-ack} takes them at-most-once ({@code ack=auto}: removed as
 * they are handed over, nothing to ack). If stdout is closed (a pipe into {@code head}), it stops without acking.
 */
@Command(name = "consume", description = {"Takes messages from a queue and prints them, until Ctrl-C, --max or --idle.",
  "People get each payload on a line; --json gives each delivery as a JSON line."})
final class ConsumeCommand implements Callable<Integer> {

  private static final Duration LONG_POLL = Duration.ofSeconds(20);

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Option(names = {"-q", "--queue"}, required = true, paramLabel = "QUEUE", description = "the queue")
  String queue;

  @Option(names = "--ack", negatable = true, defaultValue = "true", fallbackValue = "true",
    description = "ack each message once printed (default); --no-ack: removed as handed over, at most once")
  boolean ack;

  @Option(names = "--max", paramLabel = "N", description = "stop after N messages")
  long max;

  @Option(names = "--idle", paramLabel = "DURATION", description = "stop once no message came for this long (5s, 1m)")
  String idle;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
    description = "messages per request, 1-1000 (default: ${DEFAULT-VALUE})")
  int batch;

  @Override
  public Integer call() {
    if (batch < 1 || batch > 1000 || max < 0) {
      throw new CliException(Exit.USAGE, "--batch must be 1 to 1000 and --max at least 0");
    }
    Duration idleFor = null;
    if (idle != null) {
      idleFor = Exit.duration(idle, "--idle");
    }
    NodeClient client = top.client();
    String path = "/queues/" + NodeClient.segment(queue);
    Progress progress = top.progress("received");
    long received = 0;
    long lastMessage = System.nanoTime();
    try {
      while (max == 0 || received < max) {
        Duration wait = LONG_POLL;
        if (idleFor != null) {
          Duration left = idleFor.minusNanos(System.nanoTime() - lastMessage);
          if (left.isNegative() || left.isZero()) {
            break;
          }
          wait = left.compareTo(LONG_POLL) < 0 ? left : LONG_POLL;
        }
        long n = max == 0 ? batch : Math.min(batch, max - received);
        HttpResponse<String> r = client.ok(client.send(client.request(path + "/leases?max=" + n + "&wait="
          + wait.toMillis() + "ms" + (ack ? "" : "&ack=auto"), wait.plus(NodeClient.TIMEOUT))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        if (r.statusCode() == 204) {
          continue;
        }
        JsonArray deliveries = new JsonArray(r.body());
        if (!print(deliveries)) {
          top.io.warn("stdout is closed: the last " + deliveries.size() + " messages were not acked, they go back to"
            + " queue " + queue + " when their lease ends");
          break;
        }
        if (ack) {
          ack(client, path, deliveries);
        }
        received += deliveries.size();
        lastMessage = System.nanoTime();
        progress.add(deliveries.size());
      }
    } finally {
      progress.done();
    }
    return Exit.OK;
  }

  /** @return whether it was written (stdout still open) */
  private boolean print(JsonArray deliveries) {
    for (int i = 0; i < deliveries.size(); i++) {
      JsonObject d = deliveries.getJsonObject(i);
      if (top.json) {
        top.io.out().println(Output.tagged("queue", queue, d).encode());
      } else {
        Output.payload(top.io.out(), d);
      }
    }
    top.io.out().flush();
    return !top.io.out().checkError();
  }

  private static void ack(NodeClient client, String path, JsonArray deliveries) {
    JsonArray leases = new JsonArray();
    deliveries.forEach(d -> leases.add(((JsonObject) d).getString("leaseId")));
    HttpResponse<String> r = client.send(client.request(path + "/acks", NodeClient.TIMEOUT)
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(leases.encode())).build(),
      HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) {
      CliException f = client.failure(r.statusCode(), r.body());
      throw new CliException(f.exitCode(), "printed, but the ack failed (they will be delivered again): "
        + f.getMessage());
    }
  }
}
