package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MercureOptionsTest {

  @Test
  void jsonRoundTripsAndSitsInTheGatewayOptions() {
    MercureOptions o = new MercureOptions().setPublisherJwtKey("p").setPublisherJwtAlg("RS256")
      .setSubscriberJwtKey("s").setSubscriberJwtAlg("ES256").setAnonymous(true).setTopic("hub")
      .setHistorySize(500).setDiscovery(true).setCookieName("c");
    assertThat(new MercureOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    GatewayOptions g = new GatewayOptions(new JsonObject().put("mercure", o.toJson()));
    assertThat(g.getMercure().toJson()).isEqualTo(o.toJson());
    assertThat(new GatewayOptions(g.toJson()).getMercure().getSubscriberJwtAlg()).isEqualTo("ES256");
    assertThat(new GatewayOptions().getMercure().isEnabled()).isTrue();
    assertThat(new GatewayOptions().getMercure().isAnonymous()).isFalse();
  }

  @Test
  void theReferenceHubsEnvironmentVariablesApply() {
    MercureOptions base = new MercureOptions().setTopic("hub");
    MercureOptions o = MercureOptions.fromEnv(base, Map.of("MERCURE_PUBLISHER_JWT_KEY", "pk",
      "MERCURE_PUBLISHER_JWT_ALG", "HS512", "MERCURE_SUBSCRIBER_JWT_KEY", "sk", "MERCURE_SUBSCRIBER_JWT_ALG", "RS256",
      "FERRYMQ_MERCURE_ANONYMOUS", "true", "PATH", "/bin"));
    assertThat(o.getPublisherJwtKey()).isEqualTo("pk");
    assertThat(o.getPublisherJwtAlg()).isEqualTo("HS512");
    assertThat(o.getSubscriberJwtKey()).isEqualTo("sk");
    assertThat(o.getSubscriberJwtAlg()).isEqualTo("RS256");
    assertThat(o.isAnonymous()).isTrue();
    assertThat(o.getTopic()).isEqualTo("hub");
    assertThat(base.getPublisherJwtKey()).isNull();
    assertThat(MercureOptions.fromEnv(base, Map.of()).toJson()).isEqualTo(base.toJson());
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> new MercureOptions().setPublisherJwtAlg("none"))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> MercureOptions.fromEnv(new MercureOptions(), Map.of("MERCURE_SUBSCRIBER_JWT_ALG", "X")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new MercureOptions().setTopic("https://example.com/x"))
      .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> new MercureOptions(new JsonObject().put("historySize", 0)))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new MercureOptions(new JsonObject().put("anonymous", "yes")))
      .isInstanceOf(InvalidRequestException.class);
  }
}
