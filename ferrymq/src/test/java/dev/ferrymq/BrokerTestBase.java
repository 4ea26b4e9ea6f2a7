package dev.ferrymq;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** One broker on an embedded Hazelcast member for a whole test class; each test uses its own destinations. */
@ExtendWith(VertxExtension.class)
public abstract class BrokerTestBase {

  protected static Vertx vertx;
  protected static Broker broker;
  protected static final MutableClock clock = new MutableClock();
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void startBroker() {
    vertx = Vertx.vertx();
    broker = Broker.create(vertx, options()).await();
  }

  /** Sends {@code n} messages {@code m0..} at once. @return their ids, in the order sent */
  protected static List<String> sendAll(Queue q, int n) {
    List<Future<String>> sends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sends.add(q.send(Buffer.buffer("m" + i)));
    }
    Future.all(sends).await();
    List<String> ids = new ArrayList<>();
    sends.forEach(f -> ids.add(f.result()));
    return ids;
  }

  /**
   * @return the options of the class's broker: fast ticks, the test clock, an SQLite store in a fresh directory, a
   *     Prometheus registry
   */
  protected static BrokerOptions options() {
    try {
      // A registry of its own: every test broker reports its metrics, as a node does (GET /metrics reads it).
      return new BrokerOptions().setTickInterval(Duration.ofMillis(10)).setClock(clock)
        .setMeterRegistry(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
          io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT))
        .setStore(new StoreOptions().setDataDir(Files.createTempDirectory("ferrymq-test").toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** @return a destination name no other test uses */
  protected static String unique(TestInfo info) {
    return info.getTestMethod().map(m -> m.getName()).orElse("t") + "-" + names.incrementAndGet();
  }
}
