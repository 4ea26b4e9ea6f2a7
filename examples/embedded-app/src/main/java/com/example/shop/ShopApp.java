package com.example.shop;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An existing Vert.x application (a shop with its own HTTP API) that embeds FerryMQ: the broker on the app's Vert.x,
 * FerryMQ's HTTP/SSE gateway mounted under {@code /mq} of the app's own router, and a worker consuming the
 * {@code orders} queue.
 *
 * <pre>
 * java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -cp … com.example.shop.ShopApp [DATA_DIR] [--demo N]
 * </pre>
 * With {@code --demo N} it posts N orders to itself over HTTP, waits until the worker has taken all of them, and ends
 * with {@code vertx.close()} alone: the broker closes with its Vert.x, so the JVM exits.
 */
public final class ShopApp {

  private ShopApp() {
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "shop-data").toAbsolutePath();
    int demo = 0;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--demo")) {
        demo = Integer.parseInt(args[i + 1]);
      }
    }

    Vertx vertx = Vertx.vertx();
    // An absolute data dir: a relative one would follow whatever the working directory is.
    Broker broker = Broker.create(vertx, new BrokerOptions()
      .setStore(new StoreOptions().setDataDir(dataDir.toString()))).await();

    // The app's own routes, and FerryMQ's HTTP contract under /mq on the same server.
    Router router = Router.router(vertx);
    router.get("/hello").handler(ctx -> ctx.response().end("hello from the shop\n"));
    router.route("/mq/*").subRouter(GatewayVerticle.router(vertx, broker, new GatewayOptions()));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(demo > 0 ? 0 : 8090, "127.0.0.1")
      .await();
    System.out.println("shop listening on http://127.0.0.1:" + server.actualPort());

    // A worker: each order to one consumer, acked once handled.
    AtomicInteger handled = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(Math.max(demo, 1));
    broker.queue("orders").consumer(new ConsumerOptions().setPrefetch(16), delivery -> {
      handled.incrementAndGet();
      delivery.ack().onSuccess(v -> all.countDown());
    }).await();

    if (demo == 0) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
      return;
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 1; i <= demo; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
          + "/mq/queues/orders/messages")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"order\":" + i + "}")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("order " + i + " answered " + r.statusCode() + ": " + r.body());
      }
    }
    if (!all.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + handled.get() + " of " + demo + " orders handled");
    }
    System.out.println("handled " + handled.get() + " orders");
    vertx.close().await(); // only this: the broker and its embedded Hazelcast close with the Vert.x
    System.out.println("vertx closed");
  }
}
