package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory account counts what the held messages really take of the heap on their owner's node (owner's copy,
 * Hazelcast's copy and their bookkeeping), so that the watermark, a share of the heap, means what it says. Measured
 * around full collections; the bounds are loose because other tests' garbage and JIT activity add noise.
 */
@Timeout(120)
class MemoryAccountHeapTest {

  @Test
  void theAccountMatchesTheHeapTheHeldMessagesTake() throws Exception {
    Vertx vertx = Vertx.vertx();
    Broker broker = Broker.create(vertx, new BrokerOptions().setMemoryHighWatermark(1.0)
      .setStore(new StoreOptions().setType(StoreOptions.Type.NONE))).await();
    try {
      Queue q = broker.queue("heap-probe");
      q.send(Buffer.buffer("warm-up")).await();
      long before = usedHeap();
      long accountBefore = broker.memory().heldBytes();
      int n = 20_000;
      for (int i = 0; i < n; i += 500) {
        List<Future<String>> sends = new ArrayList<>();
        for (int j = 0; j < 500; j++) {
          sends.add(q.send(Buffer.buffer(new byte[1024])));
        }
        Future.all(sends).await();
      }
      long heap = usedHeap() - before;
      long counted = broker.memory().heldBytes() - accountBefore;
      System.out.printf("%d messages of 1 KiB: heap +%d bytes (%d each), account +%d (%d each)%n", n, heap, heap / n,
        counted, counted / n);
      assertThat((double) counted / heap).as("account %d vs heap %d", counted, heap).isBetween(0.6, 1.6);
    } finally {
      broker.close().await();
      vertx.close().await();
    }
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
