package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access log (one line per request, with its fields as key-value pairs) and its refusal log (once per
 * client and reason, not once per refused request), as the node's logback receives them.
 */
class AccessLogTest extends BrokerTestBase {

  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void clean() {
    cleanup.forEach(Runnable::run);
  }

  private ListAppender<ILoggingEvent> capture(String logger) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger l = (Logger) LoggerFactory.getLogger(logger);
    l.addAppender(appender);
    cleanup.add(() -> l.detachAppender(appender));
    return appender;
  }

  private WebClient gateway(GatewayOptions options) {
    GatewayVerticle g = new GatewayVerticle(broker, options.setPort(0));
    String id = vertx.deployVerticle(g).await();
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(g.actualPort()));
    cleanup.add(() -> {
      c.close();
      vertx.undeploy(id).await();
    });
    return c;
  }

  private static List<String> messages(ListAppender<ILoggingEvent> appender) {
    synchronized (appender.list) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Test
  void oneLinePerRequestWithItsFields() {
    ListAppender<ILoggingEvent> access = capture("dev.ferrymq.access");
    WebClient c = gateway(new GatewayOptions().setAccessLog(true));
    assertThat(c.get("/health/live").send().await().statusCode()).isEqualTo(200);
    assertThat(c.get("/queues/access.q/nothing").send().await().statusCode()).isEqualTo(404);
    Awaitility.await("two access lines").atMost(Duration.ofSeconds(30)).until(() -> messages(access).size() >= 2);
    List<String> lines = messages(access);
    assertThat(lines.get(0)).as("all: %s", lines).matches("GET /health/live 200 \\d+b \\d+ms 127\\.0\\.0\\.1");
    assertThat(lines.get(1)).as("all: %s", lines).startsWith("GET /queues/access.q/nothing 404 ");
    ILoggingEvent first;
    synchronized (access.list) {
      first = access.list.get(0);
    }
    assertThat(first.getKeyValuePairs()).extracting(kv -> kv.key)
      .containsExactly("method", "path", "status", "bytes", "ms", "client");
  }

  @Test
  void offByDefault() {
    ListAppender<ILoggingEvent> access = capture("dev.ferrymq.access");
    WebClient c = gateway(new GatewayOptions());
    assertThat(c.get("/health/live").send().await().statusCode()).isEqualTo(200);
    assertThat(messages(access)).isEmpty();
  }

  @Test
  void aClientOverItsRateIsLoggedOnceNotPerRequest() {
    ListAppender<ILoggingEvent> refused = capture("dev.ferrymq.refused");
    WebClient c = gateway(new GatewayOptions().setRateLimit(1).setRateBurst(1));
    int tooMany = 0;
    for (int i = 0; i < 20; i++) {
      if (c.get("/queues/refused.q").send().await().statusCode() == 429) { // health routes are not rate-limited
        tooMany++;
      }
    }
    assertThat(tooMany).as("requests refused").isGreaterThan(5);
    List<String> lines = messages(refused);
    assertThat(lines).as("refusal lines for %d refused requests", tooMany).hasSize(1);
    assertThat(lines.get(0)).isEqualTo("client ip:127.0.0.1 refused with 429: too many requests from this client");
  }
}
