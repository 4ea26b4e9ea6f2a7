package dev.ferrymq.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * A keep-alive HTTP/1.1 client on one node for the load generator: a pool of {@code connections}, each pipelining up
 * to {@code pipelining} requests; or, with {@code h2}, HTTP/2 (h2c) on up to {@code connections} connections, each
 * carrying as many streams at once as the server allows. Requests that answer outside 2xx fail. Without pipelining, requests go through the
 * lean {@link KeepAliveClient}; SSE streams always through Vert.x's {@code HttpClient}.
 */
final class HttpCalls {

  private final HttpClient client;
  private final String host;
  private final int port;
  private final KeepAliveClient lean;

  HttpCalls(Vertx vertx, String baseUrl, int connections, int pipelining) {
    this(vertx, baseUrl, connections, pipelining, false);
  }

  HttpCalls(Vertx vertx, String baseUrl, int connections, int pipelining, boolean h2) {
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort();
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
      .setPipelining(pipelining > 1).setPipeliningLimit(Math.max(1, pipelining)).setIdleTimeout(0)
      .setConnectTimeout(10_000);
    if (h2) {
      // h2c with prior knowledge: streams are spread over up to {@code connections} connections
      // windows as browsers use them (Chromium: 6 MiB per stream, 15 MiB per connection); HTTP/2's default of 64 KiB
      // lets the gateway send an SSE stream no more than that ahead of the client's reading
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        .setInitialSettings(new io.vertx.core.http.Http2Settings().setInitialWindowSize(6 << 20))
        .setHttp2ConnectionWindowSize(15 << 20);
    }
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections)
      .setHttp2MaxSize(connections).setMaxWaitQueueSize(-1));
    this.lean = pipelining > 1 || h2 ? null : new KeepAliveClient(vertx, host, port, connections);
  }

  /** @return the context this client's short requests run on (see {@link KeepAliveClient}), or null if pipelined */
  Context context() {
    return lean == null ? null : lean.context(Vertx.currentContext());
  }

  /** @return the response body of {@code method path} with {@code body} (may be null) and its content type */
  Future<Buffer> call(HttpMethod method, String path, Buffer body, String contentType) {
    if (lean != null) {
      return lean.call(method, path, body, contentType);
    }
    RequestOptions o = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path);
    if (contentType != null) {
      o.putHeader("Content-Type", contentType);
    }
    return client.request(o)
      .compose(req -> body == null ? req.send() : req.send(body))
      .compose(resp -> resp.body().compose(b -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(b)
        : Future.failedFuture(method + " " + path + " -> " + resp.statusCode() + " " + b)));
  }

  /**
   * Opens an SSE stream at {@code path}; {@code chunks} gets its bytes. @return the response, once its head is in
   */
  Future<HttpClientResponse> stream(String path, Handler<Buffer> chunks, Handler<Void> ended) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(path)
      .putHeader("Accept", "text/event-stream").setIdleTimeout(0);
    return client.request(o).compose(req -> req.send().compose(resp -> {
      if (resp.statusCode() != 200) {
        return resp.body().compose(b -> Future.failedFuture("GET " + path + " -> " + resp.statusCode() + " " + b));
      }
      resp.handler(chunks);
      resp.endHandler(ended);
      resp.exceptionHandler(e -> ended.handle(null));
      return Future.succeededFuture(resp);
    }));
  }

  Future<Void> close() {
    return lean == null ? client.close() : Future.join(client.close(), lean.close()).mapEmpty();
  }
}
