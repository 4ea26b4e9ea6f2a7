package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq topics}: every topic with its sequence numbers, all pages of {@code GET /topics}. */
@Command(name = "topics", description = {"Lists the topics with their last and oldest kept sequence numbers.",
  "--json gives {\"topics\":[...]} with each topic as GET /topics/{topic} shows it."})
final class TopicsCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Override
  public Integer call() {
    JsonArray topics = Listing.all(top.client(), "/topics", "topics");
    if (top.json) {
      top.io.out().println(new JsonObject().put("topics", topics).encode());
      return Exit.OK;
    }
    Table t = new Table("TOPIC", "LAST-SEQ", "OLDEST-SEQ", "CAPACITY", "DURABILITY");
    for (int i = 0; i < topics.size(); i++) {
      JsonObject tp = topics.getJsonObject(i);
      JsonObject o = tp.getJsonObject("options", new JsonObject());
      t.row(tp.getString("topic"), tp.getValue("lastSeq"), tp.getValue("oldestSeq"), o.getValue("capacity"),
        o.getValue("durability"));
    }
    t.print(top.io.out());
    return Exit.OK;
  }
}
