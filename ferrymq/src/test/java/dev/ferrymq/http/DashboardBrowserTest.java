package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.Delivery;
import dev.ferrymq.GatewayOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The dashboard at {@code GET /} in headless Chromium (Debian package {@code chromium}; skipped when absent), driven
 * over the DevTools protocol: it loads without console errors, shows a queue made through the HTTP API with its real
 * depth, tails a topic, shows and redrives dead letters, and with auth on signs in with an admin token and purges.
 * Screenshots are kept in {@code target/dashboard.png} and {@code target/dashboard-auth.png}.
 */
class DashboardBrowserTest extends BrokerTestBase {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int SENT = 25;

  @BeforeEach
  void needsChromium() {
    Assumptions.assumeTrue(Chromium.available(), "headless Chromium not found at " + Chromium.PATH
      + ": apt-get install -y --no-install-recommends chromium");
  }

  @Test
  void showsQueueDepthTailsTopicAndRedrivesDeadLetters(TestInfo info) throws Exception {
    String queue = unique(info);
    String topic = unique(info);
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
    vertx.deployVerticle(gateway).await();
    WebClient http = WebClient.create(vertx);
    String base = "http://127.0.0.1:" + gateway.actualPort() + "/";
    try (Chromium chromium = Chromium.start(vertx)) {
      check(http.putAbs(base + "queues/" + queue), new JsonObject().put("maxDeliveries", 1)
        .put("deadLetterQueue", queue + ".dlq"), 200);
      for (int i = 0; i < SENT; i++) {
        check(http.postAbs(base + "queues/" + queue + "/messages"), "m" + i, 201);
      }
      check(http.postAbs(base + "topics/" + topic + "/messages"), "first", 201);

      chromium.navigate(base);
      awaitText(chromium, cellOf("queue", queue, "depth"), String.valueOf(SENT));
      assertThat(chromium.evaluate(cellOf("topic", topic, "lastSeq"))).isEqualTo("1");

      // The tail: an EventSource on the topic's SSE route shows what is published after it opened.
      chromium.evaluate(buttonOf("topic", topic, "Tail") + ".click()");
      awaitText(chromium, "document.getElementById('tail-state').textContent", "live");
      check(http.postAbs(base + "topics/" + topic + "/messages"), "hello from the test", 201);
      awaitText(chromium, "document.querySelector('#tail-list li')?.textContent", "#2  hello from the test");
      awaitText(chromium, cellOf("topic", topic, "subscribers"), "1"); // the tail itself

      // Dead letters: one message rejected, peeked in the page, redriven through it.
      List<Delivery> got = broker.queue(queue).receive(1, Duration.ofSeconds(5), Duration.ofSeconds(30)).await();
      broker.queue(queue).reject(got.get(0).leaseId()).await();
      awaitText(chromium, cellOf("queue", queue, "deadLetters"), "1");
      awaitText(chromium, cellOf("queue", queue, "depth"), String.valueOf(SENT - 1));
      chromium.evaluate(buttonOf("queue", queue, "Dead letters") + ".click()");
      awaitText(chromium, "document.querySelector('#dl-table tbody td.payload')?.textContent", "m0");
      chromium.screenshot(Path.of("target", "dashboard.png"));
      chromium.evaluate("document.getElementById('dl-redrive').click()");
      chromium.evaluate("document.getElementById('modal-ok').click()");
      awaitText(chromium, cellOf("queue", queue, "deadLetters"), "0");
      awaitText(chromium, cellOf("queue", queue, "depth"), String.valueOf(SENT));
      assertThat(broker.queue(queue).stats().await().depth()).isEqualTo(SENT);

      assertThat(chromium.errors).as("console errors and exceptions of the page").isEmpty();
    } finally {
      http.close();
      vertx.undeploy(gateway.deploymentID()).await();
    }
  }

  @Test
  void withAuthSignsInWithAnAdminTokenAndPurgesWithIt(TestInfo info) throws Exception {
    String queue = unique(info);
    AuthOptions auth = new AuthOptions().setSecret(Tokens.SECRET).setIssuer(Tokens.ISSUER)
      .setAudience(Tokens.AUDIENCE);
    GatewayVerticle gateway = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setAuth(auth));
    vertx.deployVerticle(gateway).await();
    String admin = new Tokens(vertx).grant(new JsonObject().put("admin", true));
    String producer = new Tokens(vertx).grant(new JsonObject().put("publish", new JsonArray().add(queue)));
    WebClient http = WebClient.create(vertx);
    String base = "http://127.0.0.1:" + gateway.actualPort() + "/";
    try (Chromium chromium = Chromium.start(vertx)) {
      check(http.putAbs(base + "queues/" + queue).bearerTokenAuthentication(admin), new JsonObject(), 200);
      for (int i = 0; i < SENT; i++) {
        check(http.postAbs(base + "queues/" + queue + "/messages").bearerTokenAuthentication(producer), "m" + i,
          201);
      }
      // Without a token the stats stream is refused: the page must sign in first.
      assertThat(http.getAbs(base + "stats/events").send().await().statusCode()).isEqualTo(401);

      chromium.navigate(base);
      awaitText(chromium, "String(document.getElementById('login').hidden)", "false");
      chromium.evaluate("document.getElementById('token').value = '" + admin + "';"
        + "document.getElementById('login-form').requestSubmit()");
      awaitText(chromium, cellOf("queue", queue, "depth"), String.valueOf(SENT));
      chromium.screenshot(Path.of("target", "dashboard-auth.png"));

      // Purge: a POST with the Authorization header (the cookie alone would not do), after the confirmation.
      chromium.evaluate(buttonOf("queue", queue, "Purge") + ".click()");
      assertThat(chromium.evaluate("document.getElementById('modal-text').textContent")).asString()
        .contains("Purge queue \"" + queue + "\"");
      chromium.evaluate("document.getElementById('modal-ok').click()");
      awaitText(chromium, cellOf("queue", queue, "depth"), "0");
      assertThat(broker.queue(queue).stats().await().depth()).isZero();

      assertThat(chromium.errors).as("console errors and exceptions of the page").isEmpty();
    } finally {
      http.close();
      vertx.undeploy(gateway.deploymentID()).await();
    }
  }

  private static void check(HttpRequest<Buffer> request, Object body, int status) {
    HttpResponse<Buffer> r = body instanceof JsonObject json ? request.sendJsonObject(json).await()
      : request.sendBuffer(Buffer.buffer(String.valueOf(body))).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
  }

  /** @return an expression for the text of a cell of the row of queue or topic {@code name} */
  private static String cellOf(String kind, String name, String field) {
    return "document.querySelector('tr[data-" + kind + "=\"" + name + "\"] td[data-field=\"" + field
      + "\"]')?.textContent";
  }

  private static String buttonOf(String kind, String name, String text) {
    return "[...document.querySelectorAll('tr[data-" + kind + "=\"" + name + "\"] button')]"
      + ".find(b => b.textContent === '" + text + "')";
  }

  /** Waits until {@code expression} gives {@code expected}, and says what the page showed if it never does. */
  private static void awaitText(Chromium chromium, String expression, String expected) {
    Object[] seen = {null};
    try {
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
        seen[0] = chromium.evaluate(expression);
        return Objects.equals(expected, seen[0]);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(expression + " was " + seen[0] + ", expected " + expected + "; page errors: "
        + chromium.errors + "; page text: " + chromium.evaluate("document.body.innerText"), e);
    }
  }
}
