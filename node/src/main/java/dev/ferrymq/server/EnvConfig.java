package dev.ferrymq.server;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Grants;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's configuration from environment variables. The rule: a config key's path, each name in upper case with
 * its words split by {@code _}, after {@code FERRYMQ_}: {@code gateway.port} is {@code FERRYMQ_GATEWAY_PORT},
 * {@code broker.store.dataDir} is {@code FERRYMQ_BROKER_STORE_DATA_DIR}, {@code eventBus.keyFile} is
 * {@code FERRYMQ_EVENT_BUS_KEY_FILE}. Two secrets also have short names: {@code FERRYMQ_STORE_PASSWORD} and
 * {@code FERRYMQ_JWT_SECRET} (the one {@code ferrymq token} signs with). Values are typed by the key: numbers,
 * {@code true}/{@code false}, lists as {@code a,b} or a JSON array, the rest as text. An unknown name under one of
 * the config parts ({@code FERRYMQ_BROKER_}, {@code _GATEWAY_}, {@code _EVENT_BUS_}, {@code _DRAIN_}, {@code _LOG_}) is
 * an error (a misspelling would otherwise be ignored); other {@code FERRYMQ_} variables belong to the scripts.
 */
final class EnvConfig {

  static final String PREFIX = "FERRYMQ_";
  /** Short names of secrets, and the key each sets. */
  static final Map<String, String> NAMED = Map.of(
    "FERRYMQ_STORE_PASSWORD", "broker.store.password",
    "FERRYMQ_JWT_SECRET", "gateway.auth.secret");

  /** Every key the node knows, by variable name, with a value of its type (from the defaults). */
  private static final Map<String, Key> KEYS = keys();

  private record Key(String path, Object sample) {
  }

  private EnvConfig() {
  }

  /** @return the config that the {@code FERRYMQ_*} variables of {@code env} give, as the file's JSON form */
  static JsonObject fromEnv(Map<String, String> env) {
    JsonObject json = new JsonObject();
    new TreeMap<>(env).forEach((name, value) -> {
      if (!name.startsWith(PREFIX) || value == null || value.isEmpty()) {
        return;
      }
      String path = NAMED.get(name);
      Key key = KEYS.get(path != null ? variable(path) : name);
      if (key == null) {
        if (NodeConfig.PARTS.stream().anyMatch(p -> name.startsWith(variable(p) + "_"))) {
          throw new ConfigException(name + " is not a FerryMQ setting (see docs/OPERATIONS.md, \"Configuration and"
            + " environment\")");
        }
        return;
      }
      put(json, key.path(), convert(name, value, key.sample()));
    });
    return json;
  }

  /** @return the variable that sets {@code path}, e.g. {@code FERRYMQ_BROKER_STORE_DATA_DIR} */
  static String variable(String path) {
    StringBuilder sb = new StringBuilder(PREFIX);
    for (String part : path.split("\\.")) {
      if (sb.length() > PREFIX.length()) {
        sb.append('_');
      }
      sb.append(part.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }
    return sb.toString();
  }

  /** @return every variable the rule gives, sorted, each with its key (for the docs and the usage text) */
  static Map<String, String> variables() {
    Map<String, String> all = new TreeMap<>();
    KEYS.forEach((name, key) -> all.put(name, key.path()));
    return all;
  }

  private static Object convert(String name, String value, Object sample) {
    String v = value.strip();
    try {
      if (sample instanceof Integer) {
        return Integer.valueOf(v);
      } else if (sample instanceof Long) {
        return Long.valueOf(v);
      } else if (sample instanceof Number) {
        return Double.valueOf(v);
      } else if (sample instanceof Boolean) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          throw new ConfigException(name + " must be true or false, was \"" + v + "\"");
        }
        return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
      } else if (sample instanceof JsonArray) {
        return v.startsWith("[") ? new JsonArray(v)
          : new JsonArray(Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, was \"" + v + "\"");
    } catch (DecodeException e) {
      throw new ConfigException(name + " must be a list (a,b or a JSON array), was \"" + v + "\"");
    }
  }

  private static void put(JsonObject json, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject at = json;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = at.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        at.put(parts[i], next);
      }
      at = next;
    }
    at.put(parts[parts.length - 1], value);
  }

  private static Map<String, Key> keys() {
    JsonObject gateway = new GatewayOptions().toJson().put("tlsKeyFile", "").put("tlsCertFile", "");
    JsonObject auth = new AuthOptions().toJson();
    for (String k : new String[] {"secret", "secretFile", "publicKeyFile", "jwksFile", "issuer", "audience"}) {
      auth.put(k, "");
    }
    JsonObject anonymous = auth.getJsonObject("anonymous", new JsonObject());
    for (Grants.Action a : Grants.Action.values()) {
      anonymous.put(a.key(), new JsonArray());
    }
    gateway.put("auth", auth.put("anonymous", anonymous));
    JsonObject template = new JsonObject()
      .put("broker", new BrokerOptions().toJson())
      .put("gateway", gateway)
      .put("eventBus", new JsonObject().put("keyFile", "").put("certFile", "").put("trustFile", ""))
      .put("drain", NodeConfig.defaults().getJsonObject("drain"))
      .put("log", NodeConfig.defaults().getJsonObject("log"));
    Map<String, Key> keys = new TreeMap<>();
    collect(template, "", keys);
    return keys;
  }

  private static void collect(JsonObject json, String prefix, Map<String, Key> keys) {
    json.forEach(e -> {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof JsonObject o) {
        collect(o, path + ".", keys);
      } else {
        keys.put(variable(path), new Key(path, e.getValue()));
      }
    });
  }
}
