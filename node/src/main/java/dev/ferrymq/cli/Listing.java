package dev.ferrymq.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads a paged listing ({@code GET /queues}, {@code GET /topics}) to its end, 1,000 items a request. */
final class Listing {

  private Listing() {
  }

  /** @return the items of every page under {@code field}, in the node's order (by name) */
  static JsonArray all(NodeClient client, String path, String field) {
    JsonArray all = new JsonArray();
    String after = null;
    do {
      JsonObject page = client.getJson(path + "?limit=1000" + (after == null ? "" : "&after=" + NodeClient.query(after)));
      JsonArray items = page.getJsonArray(field, new JsonArray());
      items.forEach(all::add);
      after = page.getString("next");
    } while (after != null);
    return all;
  }
}
