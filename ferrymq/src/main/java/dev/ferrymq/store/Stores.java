package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Picks and opens the store that {@link StoreOptions#getType()} names. */
public final class Stores {

  private Stores() {
  }

  /**
   * Tells {@code observer} of every group commit of {@code store} when it is one of FerryMQ's own JDBC stores.
   *
   * @return whether it is (a plugged-in or in-memory store has no group commits to tell of)
   */
  public static boolean observeCommits(MessageStore store, CommitObserver observer) {
    if (store instanceof JdbcStore jdbc && jdbc.writer() != null) {
      jdbc.writer().observe(observer);
      return true;
    }
    return false;
  }

  /**
   * Opens the store {@code options} names, creating or migrating its schema.
   *
   * @return the open store, or a failed future with {@link UnavailableException} when the database can't be reached
   */
  public static Future<MessageStore> open(Vertx vertx, StoreOptions options) {
    options = new StoreOptions(options);
    JdbcStore store;
    switch (options.getType()) {
      case MEMORY -> {
        return Future.succeededFuture(new MemoryStore());
      }
      case NONE -> {
        return Future.failedFuture(new IllegalArgumentException("store type none opens no store"));
      }
      case POSTGRES -> {
        if (options.getJdbcUrl() == null) {
          return Future.failedFuture(new IllegalArgumentException("a postgres store needs a jdbcUrl"));
        }
        store = new PostgresStore(vertx, options);
      }
      default -> store = new SqliteStore(vertx, options);
    }
    return store.start().recover(e -> store.close().transform(v -> Future.failedFuture(
      e instanceof UnavailableException ? e : new UnavailableException("store not opened: " + e))));
  }
}
