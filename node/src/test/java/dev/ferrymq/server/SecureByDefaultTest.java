package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without auth, a node refuses to listen beyond loopback, and says why; nothing is ever bound to 0.0.0.0 here. */
class SecureByDefaultTest extends BrokerTestBase {

  @Test
  void theNodeRefusesANonLoopbackHostWithoutAuthAndExitsNonZero() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
      "-cp", System.getProperty("java.class.path"), "dev.ferrymq.server.Main", "--host", "0.0.0.0", "--port", "0")
      .redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the node exits by itself").isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).isEqualTo(3);
      assertThat(output).contains("refusing to listen on 0.0.0.0 without authentication").contains("--insecure")
        .doesNotContain("FerryMQ listening");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aClusterMemberRefusesAPlainEventBusBeyondLoopback() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
      "-cp", System.getProperty("java.class.path"), "dev.ferrymq.server.Main", "--cluster", "--cluster-host",
      "10.1.2.3", "--port", "0").redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).isEqualTo(3);
      assertThat(output).contains("refusing to open the clustered event bus on 10.1.2.3 without TLS");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theGatewayVerticleRefusesToStartToo() {
    GatewayOptions open = new GatewayOptions().setHost("0.0.0.0").setPort(0);
    assertThatThrownBy(() -> vertx.deployVerticle(new GatewayVerticle(broker, open)).await())
      .hasMessageContaining("refusing to listen on 0.0.0.0 without authentication");
    assertThat(new GatewayOptions().setHost("192.168.1.10").refusal()).isNotNull();
    assertThat(new GatewayOptions().setHost("example.com").refusal()).as("names are not trusted as loopback")
      .isNotNull();
    for (String loopback : List.of("127.0.0.1", "127.1.2.3", "::1", "localhost")) {
      assertThat(new GatewayOptions().setHost(loopback).refusal()).as(loopback).isNull();
    }
    assertThat(new GatewayOptions().setHost("0.0.0.0").setInsecure(true).refusal()).isNull();
    assertThat(new GatewayOptions().setHost("0.0.0.0").setAuth(new AuthOptions().setSecret(
      "a-secret-that-is-long-enough-0123456789")).refusal()).isNull();
  }
}
