package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process {@link SqliteKillTest} kills: several owners on their own contexts insert batches of queue messages,
 * one batch in flight each, and print each batch's seqs only after its commit succeeded. It exits by itself after
 * {@code args[1]} seconds, in case nobody kills it.
 */
public final class KillChild {

  static final String QUEUE = "kill";

  private KillChild() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.setTimer(Long.parseLong(args[1]) * 1000, id -> System.exit(3));
    Stores.open(vertx, new StoreOptions().setDataDir(args[0])).onSuccess(store -> {
      System.out.println("open");
      for (int owner = 0; owner < 4; owner++) {
        Context context = vertx.getOrCreateContext();
        long base = owner * 1_000_000_000L;
        context.runOnContext(v -> next(store, base));
      }
    }).onFailure(e -> {
      e.printStackTrace();
      System.exit(2);
    });
  }

  private static void next(MessageStore store, long from) {
    int n = ThreadLocalRandom.current().nextInt(1, 21);
    List<StoredMessage> rows = new ArrayList<>(n);
    byte[] payload = new byte[1024];
    for (int i = 0; i < n; i++) {
      rows.add(StoredMessage.of(from + i, payload));
    }
    store.insertQueueMessages(QUEUE, rows).onComplete(ar -> {
      if (ar.failed()) {
        ar.cause().printStackTrace();
        System.exit(4);
      }
      StringBuilder line = new StringBuilder("ok");
      rows.forEach(r -> line.append(' ').append(r.seq()));
      System.out.println(line.append(" end"));
      next(store, from + n);
    });
  }
}
