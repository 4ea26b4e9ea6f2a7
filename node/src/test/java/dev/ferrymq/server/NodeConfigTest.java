package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's configuration: defaults < file < environment < flags, the variable rule, plain errors, masking. */
class NodeConfigTest {

  private static final String SECRET = "env-secret-0123456789abcdef0123456789";
  private static final String PASSWORD = "pg-pass-word-42";

  private static Path file(JsonObject json) throws Exception {
    Path f = Files.createTempFile("ferrymq-node", ".json");
    Files.writeString(f, json.encode());
    return f;
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws Exception {
    Path f = file(new JsonObject()
      .put("gateway", new JsonObject().put("port", 18410).put("rateLimit", 100).put("host", "127.0.0.1"))
      .put("broker", new JsonObject().put("consumerTimeout", "10s")));
    NodeConfig c = NodeConfig.load(f.toString(), Map.of(
        "FERRYMQ_GATEWAY_PORT", "18411",
        "FERRYMQ_GATEWAY_RATE_LIMIT", "200",
        "FERRYMQ_GATEWAY_CORS_ORIGINS", "https://a.example, https://b.example",
        "FERRYMQ_BROKER_STORE_DATA_DIR", "/tmp/from-env",
        "FERRYMQ_DRAIN_TIME", "3s",
        "FERRYMQ_JAVA_OPTS", "-Xmx1g", // a script's variable: not config, no error
        "PATH", "/usr/bin"),
      new JsonObject().put("gateway", new JsonObject().put("port", 18412)));
    assertThat(c.gateway.getPort()).as("flag over env over file").isEqualTo(18412);
    assertThat(c.gateway.getRateLimit()).as("env over file").isEqualTo(200);
    assertThat(c.gateway.getCorsOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.broker.getConsumerTimeout()).as("file over defaults").isEqualTo(Duration.ofSeconds(10));
    assertThat(c.broker.getStore().getDataDir()).isEqualTo("/tmp/from-env");
    assertThat(c.drainTime).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.drainLimit).as("default").isEqualTo(NodeConfig.DEFAULT_DRAIN_LIMIT);
    assertThat(c.logFormat).isEqualTo("text");
  }

  @Test
  void namedSecretsAreSetAndNeverShownInTheLoggedForm() throws Exception {
    Path f = file(new JsonObject().put("broker", new JsonObject().put("store", new JsonObject()
      .put("type", "postgres").put("jdbcUrl", "jdbc:postgresql://db/ferry?user=f&password=" + PASSWORD))));
    NodeConfig c = NodeConfig.load(f.toString(), Map.of("FERRYMQ_JWT_SECRET", SECRET,
      "FERRYMQ_STORE_PASSWORD", PASSWORD, "FERRYMQ_LOG_FORMAT", "JSON"), new JsonObject());
    assertThat(c.gateway.getAuth()).as("the JWT secret turns authentication on").isNotNull();
    assertThat(c.gateway.getAuth().getSecret()).isEqualTo(SECRET);
    assertThat(c.broker.getStore().getPassword()).isEqualTo(PASSWORD);
    assertThat(c.logFormat).isEqualTo("json");
    String shown = c.masked().encode();
    assertThat(shown).doesNotContain(SECRET).doesNotContain(PASSWORD).contains("\"secret\":\"***\"")
      .contains("\"password\":\"***\"").contains("password=***");
    assertThat(c.json.getJsonObject("gateway").getJsonObject("auth").getString("secret"))
      .as("masking works on a copy").isEqualTo(SECRET);
  }

  @Test
  void theVariableRuleNamesEveryKey() {
    assertThat(EnvConfig.variable("gateway.port")).isEqualTo("FERRYMQ_GATEWAY_PORT");
    assertThat(EnvConfig.variable("broker.store.dataDir")).isEqualTo("FERRYMQ_BROKER_STORE_DATA_DIR");
    assertThat(EnvConfig.variable("eventBus.keyFile")).isEqualTo("FERRYMQ_EVENT_BUS_KEY_FILE");
    assertThat(EnvConfig.variables()).containsEntry("FERRYMQ_BROKER_MEMORY_HIGH_WATERMARK",
      "broker.memoryHighWatermark").containsEntry("FERRYMQ_GATEWAY_AUTH_SECRET_FILE", "gateway.auth.secretFile")
      .containsEntry("FERRYMQ_GATEWAY_ACCESS_LOG", "gateway.accessLog").containsEntry("FERRYMQ_LOG_LEVEL", "log.level");
  }

  @Test
  void badValuesAreRefusedInPlainWords() throws Exception {
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of("FERRYMQ_GATEWAY_PORT", "80a"), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessage("FERRYMQ_GATEWAY_PORT must be a number, was \"80a\"");
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of("FERRYMQ_GATEWAY_PROT", "80"), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("FERRYMQ_GATEWAY_PROT is not a FerryMQ setting");
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of("FERRYMQ_GATEWAY_INSECURE", "yes"), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessage("FERRYMQ_GATEWAY_INSECURE must be true or false, was \"yes\"");
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of("FERRYMQ_GATEWAY_PORT", "70000"), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessage("gateway: port must be between 0 and 65535, was 70000");
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of(), new JsonObject().put("log", new JsonObject()
      .put("format", "xml")))).isInstanceOf(ConfigException.class)
      .hasMessage("log.format must be \"text\" or \"json\", was \"xml\"");
    Path typo = file(new JsonObject().put("gateway", new JsonObject().put("port", "eighty")));
    assertThatThrownBy(() -> NodeConfig.load(typo.toString(), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageContaining("a value is text where a number belongs")
      .hasMessageNotContaining("java.lang");
    Path broken = Files.createTempFile("ferrymq-node", ".json");
    Files.writeString(broken, "{\"gateway\":{\"port\":");
    assertThatThrownBy(() -> NodeConfig.load(broken.toString(), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("the config file " + broken + " is not valid JSON");
    assertThatThrownBy(() -> NodeConfig.load("/nonexistent/node.json", Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessage("cannot read the config file /nonexistent/node.json");
    assertThatThrownBy(() -> NodeConfig.load(null, Map.of("FERRYMQ_DRAIN_TIME", "90s"), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("drain.limit (60s) must be longer than drain.time");
  }
}
