package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@code ferrymq token} mints tokens the gateway accepts, with exactly the grants asked for. */
class TokenToolTest extends BrokerTestBase {

  static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TokenTool.run(args, new PrintStream(out, true), new PrintStream(err, true));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  void mintedTokensWorkWithTheNodeConfig() throws Exception {
    Path dir = Files.createTempDirectory("ferrymq-token");
    Path secret = dir.resolve("secret.key");
    Files.writeString(secret, "a-development-secret-0123456789abcdef\n");
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("gateway", new JsonObject().put("auth", new JsonObject()
      .put("secretFile", secret.toString()).put("audience", "ferrymq"))).encode());
    String token = run("--config", config.toString(), "--publish", "orders.*", "--subscribe", "*", "--ttl", "1h");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
      StandardCharsets.UTF_8));
    assertThat(claims.getJsonObject("ferrymq").encode())
      .isEqualTo("{\"publish\":[\"orders.*\"],\"subscribe\":[\"*\"],\"admin\":false}");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(3600);
    assertThat(claims.getString("aud")).isEqualTo("ferrymq");

    AuthOptions auth = new AuthOptions(new JsonObject(Files.readString(config)).getJsonObject("gateway")
      .getJsonObject("auth"));
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth));
    String deployment = vertx.deployVerticle(gateway).await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(gateway.actualPort()));
    assertThat(client.post("/topics/orders.eu/messages").bearerTokenAuthentication(token)
      .sendBuffer(Buffer.buffer("x")).await().statusCode()).isEqualTo(201);
    assertThat(client.post("/topics/prices/messages").bearerTokenAuthentication(token)
      .sendBuffer(Buffer.buffer("x")).await().statusCode()).isEqualTo(403);
    broker.topic("prices").publish(Buffer.buffer("p")).await(); // reads never create: the topic must exist
    assertThat(client.get("/topics/prices/messages").bearerTokenAuthentication(token).send().await().statusCode())
      .isEqualTo(200);
    String other = run("--secret-file", secret.toString(), "--aud", "ferrymq", "--admin");
    assertThat(client.get("/queues").bearerTokenAuthentication(other).send().await().statusCode()).isEqualTo(200);
    client.close();
    vertx.undeploy(deployment).await();
  }

  @Test
  void noKeyIsAClearError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TokenTool.run(new String[] {"--publish", "x", "--secret-file", "/nonexistent/secret"},
      new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ferrymq token:");
  }
}
