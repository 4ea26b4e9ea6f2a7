package dev.ferrymq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator's lean client against a real Vert.x HTTP server and a raw socket server. */
class KeepAliveClientTest {

  private static Vertx vertx;
  private static HttpServer http;
  private static final Set<Object> connections = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpServer().connectionHandler(connections::add).requestHandler(req -> req.body().onSuccess(
      body -> {
        switch (req.path()) {
          case "/echo" -> req.response().setStatusCode(201).putHeader("content-type",
            String.valueOf(req.getHeader("Content-Type"))).end(Buffer.buffer(req.method() + " ").appendBuffer(body));
          case "/empty" -> req.response().setStatusCode(204).end();
          case "/close" -> req.response().putHeader("Connection", "close").end("bye");
          default -> req.response().setStatusCode(404).end("{\"status\":404}");
        }
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static KeepAliveClient client(int port, int connections) {
    return new KeepAliveClient(vertx, "127.0.0.1", port, connections);
  }

  @Test
  void manyRequestsShareFewKeepAliveConnections() throws Exception {
    connections.clear();
    KeepAliveClient client = client(http.actualPort(), 2);
    List<Future<Buffer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(client.call(HttpMethod.POST, "/echo", Buffer.buffer("m" + i), "text/plain"));
      calls.add(client.call(HttpMethod.POST, "/empty", null, null));
    }
    Future.all(calls).await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      assertThat(calls.get(2 * i).result().toString()).isEqualTo("POST m" + i);
      assertThat(calls.get(2 * i + 1).result().length()).isZero();
    }
    assertThat(connections).hasSize(2);
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void statusOutside2xxFailsWithTheBody() throws Exception {
    KeepAliveClient client = client(http.actualPort(), 1);
    Future<Buffer> missing = client.call(HttpMethod.GET, "/nothing", null, null);
    assertThatThrownBy(() -> missing.await(10, TimeUnit.SECONDS)).hasMessageContaining("404")
      .hasMessageContaining("{\"status\":404}");
    // The connection stays usable after an error status.
    assertThat(client.call(HttpMethod.PUT, "/echo", Buffer.buffer("x"), "a/b").await(10, TimeUnit.SECONDS)
      .toString()).isEqualTo("PUT x");
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionCloseOpensANewConnection() throws Exception {
    KeepAliveClient client = client(http.actualPort(), 1);
    for (int i = 0; i < 3; i++) {
      assertThat(client.call(HttpMethod.GET, "/close", null, null).await(10, TimeUnit.SECONDS).toString())
        .isEqualTo("bye");
    }
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void responsesSplitAnywhereAndBackToBackAreParsed() throws Exception {
    // Two responses in three pieces: the second head starts inside the piece that ends the first body.
    String first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Other: y\r\n\r\nhello";
    String second = "HTTP/1.1 201 Created\r\ncontent-length: 3\r\n\r\nabc";
    String both = first + second;
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      int[] requests = {0};
      socket.handler(bytes -> {
        if (++requests[0] == 1) {
          socket.write(both.substring(0, 20));
          vertx.setTimer(20, t -> socket.write(both.substring(20, first.length() + 4)));
        } else {
          socket.write(both.substring(first.length() + 4));
        }
      });
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    KeepAliveClient client = client(raw.actualPort(), 1);
    assertThat(client.call(HttpMethod.GET, "/a", null, null).await(10, TimeUnit.SECONDS).toString())
      .isEqualTo("hello");
    assertThat(client.call(HttpMethod.GET, "/b", null, null).await(10, TimeUnit.SECONDS).toString())
      .isEqualTo("abc");
    client.close().await(10, TimeUnit.SECONDS);
    raw.close().await(10, TimeUnit.SECONDS);
  }
}
