package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq cluster}: {@code GET /cluster}, its members and which node owns each queue and topic. */
@Command(name = "cluster", description = {"Shows the cluster's members and which node owns each queue and topic.",
  "--json gives the document GET /cluster answers."})
final class ClusterCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Override
  public Integer call() {
    JsonObject cluster = top.client().getJson("/cluster");
    if (top.json) {
      top.io.out().println(cluster.encode());
      return Exit.OK;
    }
    top.io.out().println("node " + cluster.getString("node") + ", data "
      + (cluster.getBoolean("safe", false) ? "safe (every partition backed up)" : "NOT safe (migrating or a backup"
      + " missing)"));
    top.io.out().println();
    Table members = new Table("MEMBER", "ADDRESS", "THIS NODE");
    JsonArray list = cluster.getJsonArray("members", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject m = list.getJsonObject(i);
      members.row(m.getString("id"), m.getString("address"), m.getBoolean("local", false) ? "yes" : "");
    }
    members.print(top.io.out());
    JsonObject owners = cluster.getJsonObject("owners", new JsonObject());
    if (!owners.isEmpty()) {
      top.io.out().println();
      Table t = new Table("DESTINATION", "OWNER");
      owners.getMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> t.row(e.getKey().replaceFirst(":", " "), e.getValue()));
      t.print(top.io.out());
    }
    return Exit.OK;
  }
}
