package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq publish}: one message from the command line, or one per line of stdin, sent in batches. */
@Command(name = "publish", description = {"Sends messages to a queue or publishes them to a topic.",
  "PAYLOAD is one message; with '-' or none, every line of stdin is a message, sent in batches",
  "(a batch goes as soon as no more input is waiting, so a slow producer's lines go one by one)."})
final class PublishCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Destination to;

  @Parameters(arity = "0..1", paramLabel = "PAYLOAD", description = "the message, or '-' for the lines of stdin")
  String payload;

  @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "text/plain; charset=utf-8",
    description = "of every message (default: ${DEFAULT-VALUE})")
  String contentType;

  @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "an application header (repeatable)")
  Map<String, String> headers;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
    description = "lines of stdin per request, 1-1000 (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "30s",
    description = "lines of stdin refused for a while (queue full, node unavailable) are sent again this long,"
      + " then it stops (default: ${DEFAULT-VALUE})")
  String retryFor;

  @Override
  public Integer call() {
    if (batch < 1 || batch > 1000) {
      throw new CliException(Exit.USAGE, "--batch must be 1 to 1000, was " + batch);
    }
    if (payload == null || payload.equals("-")) {
      new LinePublisher(top, to, contentType, headers, batch, Exit.duration(retryFor, "--retry-for")).run();
      return Exit.OK;
    }
    NodeClient client = top.client();
    HttpRequest.Builder b = client.request(to.path() + "/messages", NodeClient.TIMEOUT)
      .header("Content-Type", contentType)
      .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
    NodeClient.appHeaders(b, headers);
    JsonObject answer = NodeClient.json(client.ok(client.send(b.build(), HttpResponse.BodyHandlers.ofString())));
    if (top.json) {
      top.io.out().println(answer.encode());
    } else if (to.isQueue()) {
      top.io.out().println("sent to " + to + ": id " + answer.getString("id")
        + (answer.getBoolean("duplicate", false) ? " (duplicate)" : ""));
    } else {
      top.io.out().println("published to " + to + ": seq " + answer.getLong("seq") + ", id " + answer.getString("id"));
    }
    return Exit.OK;
  }
}
