package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq queues}: every queue with its stats, all pages of {@code GET /queues}. */
@Command(name = "queues", description = {"Lists the queues with their stats (dead-letter queues marked).",
  "--json gives {\"queues\":[...]} with each queue as GET /queues/{queue} shows it, plus \"kind\"."})
final class QueuesCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Override
  public Integer call() {
    JsonArray queues = Listing.all(top.client(), "/queues", "queues");
    if (top.json) {
      top.io.out().println(new JsonObject().put("queues", queues).encode());
      return Exit.OK;
    }
    Table t = new Table("QUEUE", "KIND", "READY", "DELAYED", "IN-FLIGHT", "CONSUMERS", "DEAD-LETTERS");
    for (int i = 0; i < queues.size(); i++) {
      JsonObject q = queues.getJsonObject(i);
      t.row(q.getString("queue"), q.getString("kind"), q.getValue("ready"), q.getValue("delayed"),
        q.getValue("inFlight"), q.getValue("consumers"), q.getValue("deadLetters"));
    }
    t.print(top.io.out());
    return Exit.OK;
  }
}
