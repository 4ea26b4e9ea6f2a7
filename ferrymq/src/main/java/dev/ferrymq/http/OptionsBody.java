package dev.ferrymq.http;

import dev.ferrymq.InvalidRequestException;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code PUT /queues/:queue} and {@code PUT /topics/:topic}: either the options at top level, or exactly
 * what {@code GET} answers — the options under {@code "options"} beside the read-only fields {@code GET} shows, which
 * are ignored — so that a GET → PUT round trip changes nothing. Any other field beside {@code "options"} is
 * refused.
 */
final class OptionsBody {

  private OptionsBody() {
  }

  /** @return the options JSON of {@code body}; {@code readOnly} are the other fields of the GET answer */
  static JsonObject of(JsonObject body, Set<String> readOnly) {
    if (!body.containsKey("options")) {
      return body;
    }
    if (!(body.getValue("options") instanceof JsonObject options)) {
      throw new InvalidRequestException("options must be an object of settings, as GET shows it");
    }
    for (String field : body.fieldNames()) {
      if (!field.equals("options") && !readOnly.contains(field)) {
        throw new InvalidRequestException("unknown field \"" + (field.length() > 60 ? field.substring(0, 60) + "…"
          : field) + "\" beside \"options\": send the settings inside \"options\" (as GET shows them) or all at top "
          + "level, not both");
      }
    }
    return options;
  }

  /** @return the names of the components of {@code stats} (as its JSON form names them), and {@code more} */
  static Set<String> fieldsOf(Class<? extends Record> stats, String... more) {
    Set<String> fields = new TreeSet<>(Set.of(more));
    for (RecordComponent c : stats.getRecordComponents()) {
      fields.add(c.getName());
    }
    return fields;
  }
}
