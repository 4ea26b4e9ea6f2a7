package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With its store down a broker refuses sends fast with a clear error, confirms nothing, and recovers by itself. */
@Timeout(300)
class StoreOutageTest {

  @TempDir
  Path dir;
  private EmbeddedPostgres pg;
  private Vertx vertx;
  private Broker broker;

  @AfterEach
  void stop() throws Exception {
    if (broker != null) {
      broker.close().await(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (pg != null) {
      pg.close();
    }
  }

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false).setPort(port)
      .start();
  }

  @Test
  void sendsFailFastWhileTheStoreIsDownAndResumeAfter() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg = startPostgres(port);
    vertx = Vertx.vertx();
    broker = Broker.create(vertx, new BrokerOptions().setStore(new StoreOptions().setType(StoreOptions.Type.POSTGRES)
      .setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres").setUser("postgres"))).await();
    Queue q = broker.queue("payments");
    String before = q.send(Buffer.buffer("before")).await();

    pg.close();
    pg = null;
    long started = System.nanoTime();
    Throwable failure = QueueTest.awaitFailure(q.send(Buffer.buffer("during")));
    long failedAfterMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("send with the store down failed after %d ms: %s%n", failedAfterMs, failure.getMessage());
    assertThat(failure).isInstanceOf(UnavailableException.class);
    assertThat(failedAfterMs).as("fails fast, not at a timeout").isLessThan(15_000);
    // Nothing unconfirmed became deliverable.
    assertThat(q.receive(10, Duration.ZERO, null).await()).extracting(Delivery::messageId).containsExactly(before);
    // Not ready while the store takes no writes, and it says why.
    assertThatThrownBy(() -> broker.ready().await(30, TimeUnit.SECONDS)).isInstanceOf(UnavailableException.class)
      .hasMessageContaining("the store does not take writes");

    pg = startPostgres(port);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> q.send(Buffer.buffer("after")).await() != null);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
      .until(() -> broker.ready().await(30, TimeUnit.SECONDS) == null);
    List<Delivery> after = q.receive(10, Duration.ofSeconds(5), null).await();
    assertThat(after).extracting(d -> d.payload().toString()).contains("after").doesNotContain("during");
  }
}
