package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** After a full restart a partitioned queue and topic still have their partitions, messages and count. */
@Timeout(180)
class PartitionedRestartTest {

  @Test
  void partitionsAndTheirMessagesSurviveAFullRestart() throws Exception {
    StoreOptions store = new StoreOptions().setDataDir(Files.createTempDirectory("ferrymq-prestart").toString());
    Set<String> sent = new HashSet<>();
    Vertx vertx = Vertx.vertx();
    Broker broker = Broker.create(vertx, new BrokerOptions().setStore(store)).await();
    try {
      broker.queue("porders").configure(new QueueOptions().setPartitions(4)).await();
      broker.topic("pprices").configure(new TopicOptions().setPartitions(3)).await();
      for (int i = 0; i < 40; i++) {
        broker.queue("porders").send(Buffer.buffer("o" + i), new SendOptions().setPartitionKey("c" + (i % 7))).await();
        sent.add("o" + i);
        broker.topic("pprices").publish(Buffer.buffer("p" + i)).await();
      }
    } finally {
      broker.close().await();
      vertx.close().await();
    }

    vertx = Vertx.vertx();
    broker = Broker.create(vertx, new BrokerOptions().setStore(store)).await();
    try {
      Queue q = broker.queue("porders");
      assertThat(q.options().await().getPartitions()).isEqualTo(4);
      assertThat(q.stats().await().ready()).isEqualTo(40);
      List<String> got = new ArrayList<>();
      while (got.size() < 40) {
        List<Delivery> batch = q.receive(40, Duration.ofSeconds(1), null).await();
        assertThat(batch).as("received " + got.size() + " of 40").isNotEmpty();
        for (Delivery d : batch) {
          assertThat(d.leaseId()).contains("~");
          got.add(d.payload().toString());
          d.ack().await();
        }
      }
      assertThat(new HashSet<>(got)).isEqualTo(sent);
      assertThatThrownBy(() -> q.configure(new QueueOptions()).await()).isInstanceOf(ConflictException.class);

      Topic t = broker.topic("pprices");
      assertThat(t.stats().await().lastSeq()).isEqualTo(40);
      List<TopicMessage> history = new CopyOnWriteArrayList<>();
      Subscription sub = t.subscribe(Position.EARLIEST, history::add).await();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.size() == 40);
      assertThat(history).allSatisfy(m -> assertThat(m.partition()).isBetween(0, 2));
      assertThat(sub.positions().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
      sub.close().await();
      assertThat(broker.queues().await()).containsOnlyOnce("porders").noneMatch(n -> n.contains("~"));
      assertThat(broker.topics().await()).containsOnlyOnce("pprices");
    } finally {
      broker.close().await();
      vertx.close().await();
    }
  }
}
