package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferrymq.broker.BrokerImpl;
import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Paging through an owner change: three clustered brokers share a PostgreSQL store; the owner of a queue whose
 * backlog is mostly paged out dies (its Hazelcast member terminated, as kill -9 would for the cluster); another node
 * drains everything, in order, each message once — the window from the replicated map, the rest from the store.
 */
@Timeout(300)
class PagingClusterTest {

  @Test
  void aNewOwnerReadsThePagedBacklogFromTheSharedStore() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      StoreOptions store = new StoreOptions().setType(StoreOptions.Type.POSTGRES)
        .setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres").setUser("postgres");
      try (ClusterNodes nodes = ClusterNodes.start(3, o -> o.setStore(store))) {
        String name = "paged-failover";
        Queue first = nodes.brokers.get(0).queue(name);
        first.configure(new QueueOptions().setPageWindow(20)).await();
        for (int i = 0; i < 300; i++) {
          first.send(Buffer.buffer("m" + i)).await();
        }
        int owner = nodes.ownerOfQueue(name);
        Broker survivor = nodes.brokers.get((owner + 1) % 3);
        Queue q = survivor.queue(name);
        QueueStats before = q.stats().await();
        assertThat(before.depth()).isEqualTo(300);
        assertThat(before.paged()).as("%s", before).isGreaterThanOrEqualTo(280);
        // Some drained first: the owner has paged in and moved its replicated mark.
        List<String> got = drain(q, 50, new ArrayList<>());
        assertThat(got).isEqualTo(expected(0, 50));

        ((BrokerImpl) nodes.brokers.get(owner)).hazelcast().getLifecycleService().terminate();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> !nodes.brokers.get(owner).nodeId().equals(
            survivor.cluster().await().owners().get("queue:" + name)) && q.stats().await().depth() == 250);
        QueueStats after = q.stats().await();
        assertThat(after.paged()).as("%s", after).isGreaterThan(200);
        assertThat(drain(q, 300, got)).isEqualTo(expected(0, 300));
        assertThat(q.stats().await().depth()).isZero();
      }
    }
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
  }

  /** Receives and acks into {@code got} until it holds {@code n}; fails on a duplicate. */
  private static List<String> drain(Queue q, int n, List<String> got) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (got.size() < n && System.nanoTime() < deadline) {
      List<Delivery> batch;
      try {
        batch = q.receive(Math.min(10, n - got.size()), Duration.ofSeconds(2), null).await();
      } catch (UnavailableException e) {
        continue; // the owner is changing: the next call reaches the new one
      }
      for (Delivery d : batch) {
        assertThat(got).as("delivered twice").doesNotContain(d.payload().toString());
        got.add(d.payload().toString());
        d.ack().await();
      }
    }
    return got;
  }
}
