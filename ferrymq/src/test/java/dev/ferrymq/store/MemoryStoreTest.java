package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-JVM store keeps the same contract (tests of owners may use it to restart without a database). */
class MemoryStoreTest extends StoreContractTest {

  @Override
  protected MessageStore open(Vertx vertx) throws Exception {
    return get(Stores.open(vertx, new StoreOptions().setType(StoreOptions.Type.MEMORY)));
  }

  /** Each memory store is its own: only the refusal after close applies. */
  @Test
  @Override
  public void closedStoreRefusesWrites() throws Exception {
    MessageStore other = open(vertx);
    get(other.close());
    assertThatThrownBy(() -> get(other.insertQueueMessages("q", List.of(StoredMessage.of(1, bytes("b"))))))
      .isInstanceOf(UnavailableException.class);
  }
}
