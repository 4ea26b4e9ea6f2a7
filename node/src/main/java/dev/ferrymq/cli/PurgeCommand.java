package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq purge}: {@code POST /queues/{q}/purge}. */
@Command(name = "purge", description = {"Removes a queue's ready and delayed messages (not those in flight).",
  "--json gives {\"purged\":N}."})
final class PurgeCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Mixin
  QueueName queue;

  @Override
  public Integer call() {
    JsonObject answer = top.client().postJson(queue.path() + "/purge", null);
    top.io.out().println(top.json ? answer.encode()
      : "purged " + answer.getLong("purged") + " messages from queue " + queue.name());
    return Exit.OK;
  }
}
