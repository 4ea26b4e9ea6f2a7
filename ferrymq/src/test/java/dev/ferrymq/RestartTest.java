package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full restart (every Hazelcast member gone) brings back every confirmed, unacked message, the dead letters, the
 * options, and topic history with its numbering — from SQLite and from PostgreSQL.
 */
@Timeout(300)
class RestartTest {

  private static EmbeddedPostgres pg;

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void sqlite() throws Exception {
    restart(new StoreOptions().setDataDir(Files.createTempDirectory("ferrymq-restart").toString()));
  }

  @Test
  void postgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    restart(new StoreOptions().setType(StoreOptions.Type.POSTGRES)
      .setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres").setUser("postgres"));
  }

  private static void restart(StoreOptions store) {
    Set<String> unacked = new HashSet<>();
    String rejected;
    Vertx vertx = Vertx.vertx();
    Broker broker = Broker.create(vertx, new BrokerOptions().setStore(store)).await();
    try {
      Queue q = broker.queue("orders");
      q.configure(new QueueOptions().setMaxDeliveries(7)).await();
      List<Future<String>> sends = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        sends.add(q.send(Buffer.buffer("o" + i)));
      }
      Future.all(sends).await();
      sends.forEach(f -> unacked.add(f.result()));
      for (Delivery d : q.receive(300, Duration.ZERO, null).await()) {
        d.ack().await();
        unacked.remove(d.messageId());
      }
      Delivery bad = q.receive(1, Duration.ZERO, null).await().get(0);
      bad.reject().await();
      unacked.remove(bad.messageId());
      rejected = bad.messageId();
      Topic t = broker.topic("prices");
      for (int i = 1; i <= 50; i++) {
        assertThat(t.publish(Buffer.buffer("p" + i)).await()).isEqualTo(i);
      }
    } finally {
      broker.close().await();
      vertx.close().await();
    }

    vertx = Vertx.vertx();
    broker = Broker.create(vertx, new BrokerOptions().setStore(store)).await();
    try {
      assertThat(broker.queues().await()).contains("orders", "orders.dlq");
      Queue q = broker.queue("orders");
      assertThat(q.options().await().getMaxDeliveries()).isEqualTo(7);
      QueueStats stats = q.stats().await();
      assertThat(stats.ready()).isEqualTo(699);
      assertThat(stats.deadLetters()).isEqualTo(1);
      assertThat(q.peekDeadLetters(10).await()).extracting(Delivery::messageId).containsExactly(rejected);
      Set<String> back = new HashSet<>();
      for (Delivery d : q.receive(1000, Duration.ZERO, null).await()) {
        back.add(d.messageId());
      }
      assertThat(back).isEqualTo(unacked);

      Topic t = broker.topic("prices");
      assertThat(t.history(Position.EARLIEST, 100).await()).extracting(TopicMessage::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
      assertThat(t.publish(Buffer.buffer("after")).await()).isEqualTo(51);
      assertThat(q.send(Buffer.buffer("new")).await()).isNotIn(unacked);
    } finally {
      broker.close().await();
      vertx.close().await();
    }
  }
}
