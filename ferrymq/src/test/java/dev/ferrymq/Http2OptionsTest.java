package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON forms of {@link Http2Options} (inside {@link GatewayOptions}) and {@link SubscribeOptions}. */
class Http2OptionsTest {

  @Test
  void http2OptionsRoundTripThroughTheGatewaysJson() {
    GatewayOptions g = new GatewayOptions(new JsonObject().put("requestBodyTimeout", "5s")
      .put("maxMatchedTopicsPerStream", 7)
      .put("http2", new JsonObject().put("cleartext", true).put("maxConcurrentStreams", 9)
        .put("maxHeaderListSize", 4096).put("maxResetsPerWindow", 11).put("resetWindow", "7s")
        .put("initialWindowSize", 100_000).put("connectionWindowSize", 200_000)));
    GatewayOptions copy = new GatewayOptions(g);
    Http2Options h2 = copy.getHttp2();
    assertThat(h2.isEnabled()).isTrue();
    assertThat(h2.isCleartext()).isTrue();
    assertThat(h2.getMaxConcurrentStreams()).isEqualTo(9);
    assertThat(h2.getMaxHeaderListSize()).isEqualTo(4096);
    assertThat(h2.getMaxResetsPerWindow()).isEqualTo(11);
    assertThat(h2.getResetWindow()).isEqualTo(Duration.ofSeconds(7));
    assertThat(h2.getInitialWindowSize()).isEqualTo(100_000);
    assertThat(h2.getConnectionWindowSize()).isEqualTo(200_000);
    assertThat(copy.getRequestBodyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(copy.getMaxMatchedTopicsPerStream()).isEqualTo(7);
    assertThat(copy.toJson()).isEqualTo(g.toJson());
    assertThat(new GatewayOptions().getHttp2().isCleartext()).as("h2c is off unless asked").isFalse();
  }

  @Test
  void outOfRangeHttp2SettingsAreRefused() {
    assertThatThrownBy(() -> new Http2Options().setMaxConcurrentStreams(0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new Http2Options().setInitialWindowSize(1000)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new Http2Options(new JsonObject().put("cleartext", "yes")))
      .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void subscribeOptionsRoundTripAndCheckTheirPositions() {
    SubscribeOptions o = new SubscribeOptions(new JsonObject().put("from", "earliest")
      .put("positions", new JsonObject().put("orders.eu", 12).put("orders.us", 7)).put("maxTopics", 5));
    SubscribeOptions copy = new SubscribeOptions(o.toJson());
    assertThat(copy.getFrom()).isEqualTo(Position.EARLIEST);
    assertThat(copy.getPositions()).isEqualTo(Map.of("orders.eu", 12L, "orders.us", 7L));
    assertThat(copy.getMaxTopics()).isEqualTo(5);
    assertThatThrownBy(() -> new SubscribeOptions().setPositions(Map.of("bad name", 1L)))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new SubscribeOptions().setPositions(Map.of("t", -1L)))
      .isInstanceOf(InvalidRequestException.class);
  }
}
