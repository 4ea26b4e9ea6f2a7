package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq redrive}: {@code POST /queues/{q}/dead-letters/redrive}. */
@Command(name = "redrive", description = {"Moves a queue's dead letters (from its dead-letter queue) back to it.",
  "--json gives {\"redriven\":N}."})
final class RedriveCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Mixin
  QueueName queue;

  @Option(names = "--max", paramLabel = "N", defaultValue = "1000",
    description = "move at most N (default: ${DEFAULT-VALUE})")
  int max;

  @Override
  public Integer call() {
    JsonObject answer = top.client().postJson(queue.path() + "/dead-letters/redrive?max=" + max, null);
    top.io.out().println(top.json ? answer.encode()
      : "moved " + answer.getLong("redriven") + " dead letters back to queue " + queue.name());
    return Exit.OK;
  }
}
