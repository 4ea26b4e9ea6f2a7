package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayOptionsTest {

  @Test
  void defaultsJsonRoundTripAndValidation() {
    GatewayOptions d = new GatewayOptions();
    assertThat(d.getHost()).isEqualTo("127.0.0.1");
    assertThat(d.getPort()).isEqualTo(8080);
    assertThat(d.getBodyLimit()).isEqualTo(1024 * 1024);
    assertThat(d.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    GatewayOptions o = new GatewayOptions(new JsonObject().put("port", 9090).put("heartbeatInterval", "5s")
      .put("bodyLimit", 1000).put("accessLog", true));
    assertThat(new GatewayOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(d.isAccessLog()).isFalse();
    assertThat(o.isAccessLog()).isTrue();
    assertThat(o.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("port", "x")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new GatewayOptions().setPort(70000)).isInstanceOf(InvalidRequestException.class);
  }
}
