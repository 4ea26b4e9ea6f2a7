package dev.ferrymq.server;

import dev.ferrymq.BrokerOptions;
import dev.ferrymq.Durations;
import dev.ferrymq.GatewayOptions;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's configuration, merged with vertx-config from, in rising precedence: the defaults, the JSON file of
 * {@code --config}, the {@code FERRYMQ_*} environment variables ({@link EnvConfig}) and the command-line flags. Its
 * parts: {@code broker} ({@link BrokerOptions}), {@code gateway} ({@link GatewayOptions}), {@code eventBus}
 * ({@link EventBusTls}), {@code drain} ({@code time}: how long readiness answers 503 before the node stops accepting;
 * {@code limit}: the most a stop may take before the node exits anyway) and {@code log} ({@code format},
 * {@code level}). Secrets are masked in {@link #masked()}, the form that is logged.
 */
final class NodeConfig {

  /** The top-level parts of the config. */
  static final List<String> PARTS = List.of("broker", "gateway", "eventBus", "drain", "log");
  /** How long {@code /health/ready} answers 503 before the node stops accepting. */
  static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(5);
  /** The most a stop may take, drain time included, before the node exits anyway. */
  static final Duration DEFAULT_DRAIN_LIMIT = Duration.ofSeconds(60);
  /** Keys whose values are masked wherever the config is shown. */
  private static final List<String> SECRET_KEYS = List.of("password", "secret");

  final JsonObject json;
  final BrokerOptions broker;
  final GatewayOptions gateway;
  final EventBusTls eventBus;
  final Duration drainTime;
  final Duration drainLimit;
  final String logFormat;
  final String logLevel;

  /**
   * @param json the merged config
   * @throws ConfigException when a part or value is unknown or malformed
   */
  NodeConfig(JsonObject json) {
    this.json = json;
    for (String part : json.fieldNames()) {
      if (!PARTS.contains(part)) {
        throw new ConfigException("unknown config part \"" + part + "\"; the parts are " + PARTS);
      }
      if (!(json.getValue(part) instanceof JsonObject)) {
        throw new ConfigException("config part \"" + part + "\" must be a JSON object");
      }
    }
    this.broker = part("broker", () -> new BrokerOptions(json.getJsonObject("broker", new JsonObject())));
    this.gateway = part("gateway", () -> new GatewayOptions(json.getJsonObject("gateway", new JsonObject())));
    this.eventBus = part("eventBus", () -> EventBusTls.fromJson(json.getJsonObject("eventBus")));
    JsonObject drain = json.getJsonObject("drain", new JsonObject());
    this.drainTime = part("drain", () -> Durations.parse(drain.getValue("time", "5s"), "drain.time"));
    this.drainLimit = part("drain", () -> Durations.parse(drain.getValue("limit", "60s"), "drain.limit"));
    if (drainLimit.compareTo(drainTime) <= 0) {
      throw new ConfigException("drain.limit (" + Durations.format(drainLimit) + ") must be longer than drain.time ("
        + Durations.format(drainTime) + ")");
    }
    JsonObject log = json.getJsonObject("log", new JsonObject());
    this.logFormat = part("log", () -> Logs.checkFormat(log.getString("format", Logs.TEXT)));
    this.logLevel = part("log", () -> Logs.checkLevel(log.getString("level", "INFO")));
  }

  /** The defaults of the parts the node itself reads. */
  static JsonObject defaults() {
    return new JsonObject()
      .put("drain", new JsonObject().put("time", Durations.format(DEFAULT_DRAIN_TIME))
        .put("limit", Durations.format(DEFAULT_DRAIN_LIMIT)))
      .put("log", new JsonObject().put("format", Logs.TEXT).put("level", "INFO"));
  }

  /**
   * Reads and merges the config (on a Vert.x of its own, closed before it returns).
   *
   * @param file the JSON file of {@code --config}, or {@code null}
   * @param env the environment ({@link System#getenv()})
   * @param flags what the command-line flags set, in the file's form
   */
  static NodeConfig load(String file, Map<String, String> env, JsonObject flags) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false)
      .addStore(json(defaults()));
    if (file != null) {
      if (!Files.isRegularFile(Path.of(file)) || !Files.isReadable(Path.of(file))) {
        throw new ConfigException("cannot read the config file " + file);
      }
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", file)));
    }
    options.addStore(json(EnvConfig.fromEnv(env))).addStore(json(flags));
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject merged = ConfigRetriever.create(vertx, options).getConfig().await(30, TimeUnit.SECONDS);
      return new NodeConfig(merged);
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && e instanceof RuntimeException && !(e instanceof DecodeException)
        ? e.getCause() : e;
      String why = cause instanceof DecodeException ? "is not valid JSON" : "could not be read";
      throw new ConfigException("the config file " + file + " " + why + ": " + firstLine(cause.getMessage()));
    } finally {
      vertx.close();
    }
  }

  /** @return the config as it is logged: every {@code password} and {@code secret} (and a URL's password) masked */
  JsonObject masked() {
    return mask(json.copy());
  }

  private static JsonObject mask(JsonObject json) {
    for (String key : json.fieldNames()) {
      Object v = json.getValue(key);
      if (v instanceof JsonObject o) {
        mask(o);
      } else if (v != null && SECRET_KEYS.stream().anyMatch(s -> key.toLowerCase(java.util.Locale.ROOT).contains(s))
        && !key.endsWith("File")) {
        json.put(key, "***");
      } else if (v instanceof String s && s.contains("password=")) {
        json.put(key, s.replaceAll("password=[^&;]*", "password=***"));
      }
    }
    return json;
  }

  private static ConfigStoreOptions json(JsonObject json) {
    return new ConfigStoreOptions().setType("json").setConfig(json);
  }

  private static <T> T part(String name, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) { // InvalidRequestException and the like: their messages are for people
      throw new ConfigException(name + ": " + plain(firstLine(e.getMessage())));
    }
  }

  /** A value of the wrong JSON type shows as a ClassCastException's text: said in plain words instead. */
  private static String plain(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern
      .compile("class java\\.lang\\.(\\w+) cannot be cast to class java\\.lang\\.(\\w+)").matcher(message);
    if (m.find()) {
      return message.substring(0, m.start()) + "a value is " + kind(m.group(1)) + " where " + kind(m.group(2))
        + " belongs";
    }
    return message;
  }

  private static String kind(String javaType) {
    return switch (javaType) {
      case "String" -> "text";
      case "Boolean" -> "true/false";
      case "Integer", "Long", "Double", "Number", "Float" -> "a number";
      default -> "a " + javaType;
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no details";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
