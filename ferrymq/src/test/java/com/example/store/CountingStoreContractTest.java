package com.example.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.store.StoreContractTest;
import dev.ferrymq.store.Stores;
import io.vertx.core.Vertx;
import java.nio.file.Files;

/** FerryMQ's store contract, reused from another package as a store's author would from the tests jar. */
class CountingStoreContractTest extends StoreContractTest {

  private String dir;

  /** Each call opens the same database, as the contract expects. */
  @Override
  protected MessageStore open(Vertx vertx) throws Exception {
    if (dir == null) {
      dir = Files.createTempDirectory("counting-store").toString();
    }
    return new CountingStore(get(Stores.open(vertx, new StoreOptions().setDataDir(dir))));
  }
}
