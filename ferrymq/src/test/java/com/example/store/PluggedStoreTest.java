package com.example.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.Durability;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A store of the application's own, given with {@code BrokerOptions.setMessageStore}: used, kept open, reloaded. */
@Timeout(120)
class PluggedStoreTest {

  @Test
  void brokerWritesToThePluggedStoreAndReloadsFromItAfterAFullRestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CountingStore store = new CountingStore(Stores.open(vertx, new StoreOptions().setType(StoreOptions.Type.MEMORY))
        .await(30, TimeUnit.SECONDS));
      Broker first = Broker.create(vertx, new BrokerOptions().setMessageStore(store)).await(60, TimeUnit.SECONDS);
      first.queue("plugged").configure(new QueueOptions().setDurability(Durability.SYNC)).await(30, TimeUnit.SECONDS);
      List<Future<String>> sends = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sends.add(first.queue("plugged").send(Buffer.buffer("m" + i)));
      }
      Future.all(sends).await(30, TimeUnit.SECONDS);
      assertThat(store.inserted.get()).as("messages written to the plugged store").isEqualTo(20);
      first.close().await(60, TimeUnit.SECONDS);
      assertThat(store.closes.get()).as("the broker leaves the application's store open").isZero();

      // A new broker, a new embedded Hazelcast: everything comes back from the store alone.
      Broker second = Broker.create(vertx, new BrokerOptions().setMessageStore(store)).await(60, TimeUnit.SECONDS);
      assertThat(second.queue("plugged").stats().await(30, TimeUnit.SECONDS).ready()).isEqualTo(20);
      second.close().await(60, TimeUnit.SECONDS);
      store.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }
}
