package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.MercureOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Mercure part of the node's configuration: file, FERRYMQ_ variables, masking, the reference hub's variables. */
class MercureConfigTest {

  private static final String KEY = "mercure-publisher-key-of-at-least-32-bytes";

  @Test
  void theHubIsConfiguredByFileAndEnvironmentAndItsKeysAreNeverLogged() throws Exception {
    Path f = Files.createTempFile("ferrymq-node", ".json");
    Files.writeString(f, new JsonObject().put("gateway", new JsonObject().put("mercure", new JsonObject()
      .put("publisherJwtKey", KEY).put("historySize", 500))).encode());
    NodeConfig c = NodeConfig.load(f.toString(), Map.of("FERRYMQ_GATEWAY_MERCURE_ANONYMOUS", "true",
      "FERRYMQ_MERCURE_ANONYMOUS", "true"), new JsonObject());
    assertThat(c.gateway.getMercure().getPublisherJwtKey()).isEqualTo(KEY);
    assertThat(c.gateway.getMercure().getHistorySize()).isEqualTo(500);
    assertThat(c.gateway.getMercure().isAnonymous()).as("FERRYMQ_GATEWAY_MERCURE_ANONYMOUS").isTrue();
    assertThat(c.masked().encode()).doesNotContain(KEY).contains("\"publisherJwtKey\":\"***\"");
    Files.delete(f);

    // What Main applies over the config: the reference hub's names.
    MercureOptions m = MercureOptions.fromEnv(c.gateway.getMercure(), Map.of("MERCURE_SUBSCRIBER_JWT_KEY", "sub",
      "MERCURE_SUBSCRIBER_JWT_ALG", "HS512"));
    assertThat(m.getSubscriberJwtKey()).isEqualTo("sub");
    assertThat(m.getSubscriberJwtAlg()).isEqualTo("HS512");
    assertThat(m.getPublisherJwtKey()).isEqualTo(KEY);
  }
}
