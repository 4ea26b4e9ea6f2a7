package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq stats}: a queue's or a topic's stats and options ({@code GET /queues/{q}}, {@code /topics/{t}}). */
@Command(name = "stats", description = {"Shows a queue's or a topic's stats and options.",
  "A bare NAME is looked up as a queue, then as a topic; --queue or --topic says which.",
  "--json gives the document GET /queues/{queue} or GET /topics/{topic} answers."})
final class StatsCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "a queue or topic")
  String name;

  @ArgGroup(exclusive = true)
  Destination which;

  @Override
  public Integer call() {
    if ((name == null) == (which == null)) {
      throw new CliException(Exit.USAGE, "name one queue or topic: NAME, --queue QUEUE or --topic TOPIC");
    }
    JsonObject stats;
    if (which != null) {
      stats = top.client().getJson(which.path());
    } else {
      try {
        stats = top.client().getJson(Destination.queue(name).path());
      } catch (CliException e) {
        if (e.exitCode() != Exit.NOT_FOUND) {
          throw e;
        }
        try {
          stats = top.client().getJson(Destination.topic(name).path());
        } catch (CliException again) {
          throw again.exitCode() == Exit.NOT_FOUND ? new CliException(Exit.NOT_FOUND, "no queue or topic named "
            + name) : again;
        }
      }
    }
    if (top.json) {
      top.io.out().println(stats.encode());
    } else {
      Table.of(stats).print(top.io.out());
    }
    return Exit.OK;
  }
}
