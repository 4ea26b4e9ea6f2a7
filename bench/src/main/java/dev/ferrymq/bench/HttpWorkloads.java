package dev.ferrymq.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * W1–W4 over HTTP/SSE, as a user of the gateway would run them: publish by POST over keep-alive
 * connections to the producer's node, consume by SSE from the consumer's node, settle with HTTP acks (batched through
 * {@code POST /queues/{q}/acks} unless {@code --ack single}). Request/reply goes to the nodes' echo responder.
 */
final class HttpWorkloads implements Workload {

  private static final String TEXT = "text/plain";

  private final Vertx vertx;
  private final Nodes nodes;
  private final BenchOptions opts;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<HttpCalls> clients = new ArrayList<>();

  HttpWorkloads(Vertx vertx, Nodes nodes, BenchOptions opts) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.opts = opts;
  }

  private HttpCalls client(String url, int connections, int pipelining) {
    return client(url, connections, pipelining, false);
  }

  /** @param h2 HTTP/2 ({@code --h2}: the producers) */
  private HttpCalls client(String url, int connections, int pipelining, boolean h2) {
    HttpCalls c = new HttpCalls(vertx, url, connections, pipelining, h2);
    clients.add(c);
    return c;
  }

  @Override
  public Future<Void> start(Load load) {
    return switch (opts.workload) {
      case "w1" -> queue(load, opts.durability.name(), opts.confirmWindow);
      case "w2" -> queue(load, "MEMORY", opts.window);
      case "w3" -> topic(load);
      case "w4" -> requestReply(load);
      default -> Future.failedFuture(new IllegalArgumentException(opts.workload + " has no HTTP path"));
    };
  }

  /** @return the queue ({@code queue:<name>}) or topic ({@code topic:<name>}) this run loads, as GET /cluster names it */
  String destination() {
    return opts.workload.equals("w3") ? "topic:bench-w3-" + run : "queue:bench-" + opts.workload + "-" + run;
  }

  private Future<Void> queue(Load load, String durability, int confirmWindow) {
    String q = "bench-" + opts.workload + "-" + run;
    HttpCalls producer = client(nodes.producerUrl(), opts.connections, opts.pipelining, opts.h2);
    // The consumer stays on HTTP/1.1: over HTTP/2 its SSE stream and acks crawled (BENCHMARKS.md, W1 over HTTP/2).
    HttpCalls consumer = client(nodes.consumerUrl(), opts.h2 ? 33 : opts.connections + 1, opts.pipelining);
    Acker acker = new Acker(consumer, q, opts.ackBatch, load);
    boolean autoAck = opts.workload.equals("w2"); // W2 is at-most-once, as the peers run it
    SseParser parser = new SseParser(ev -> {
      if ("delivery".equals(ev.event())) {
        String data = ev.data();
        int at = data.indexOf("\"data\":\"");
        load.receivedStamp(0, Load.textStamp(data, at < 0 ? -1 : at + 8));
        if (!autoAck) {
          acker.ack(ev.id());
        }
      }
    });
    int prefetch = Math.min(autoAck ? 4 * opts.window : opts.window, 10_000); // as in-process (InProcessWorkloads)
    return producer.call(HttpMethod.PUT, "/queues/" + q, new JsonObject().put("durability", durability)
        .put("partitions", opts.partitions).toBuffer(),
        "application/json")
      .compose(v -> consumer.stream("/queues/" + q + "/deliveries?prefetch=" + prefetch
        + (autoAck ? "&ack=auto" : ""), chunk -> {
        parser.handle(chunk);
        acker.flush();
      }, v2 -> streamEnded(load)))
      .map(resp -> {
        publish(producer, "/queues/" + q + "/messages", load, confirmWindow);
        return null;
      });
  }

  /** Starts the producer: one POST to {@code path} per message, or with {@code --batch} N up to N per POST. */
  private void publish(HttpCalls producer, String path, Load load, int confirmWindow) {
    if (opts.batch == 1) {
      Producer.start(producerContext(producer), load, opts.rate, confirmWindow,
        () -> producer.call(HttpMethod.POST, path, load.textPayload(), TEXT));
    } else {
      Producer.start(producerContext(producer), load, opts.rate, confirmWindow, opts.batch,
        n -> producer.call(HttpMethod.POST, path + "/batch", batchBody(load, n), "application/json"));
    }
  }

  /** @return a JSON array of {@code n} messages {@code {"data":<text payload>}} (plain ASCII: no escaping) */
  private static Buffer batchBody(Load load, int n) {
    Buffer body = Buffer.buffer(n * (load.size + 12) + 2).appendByte((byte) '[');
    for (int i = 0; i < n; i++) {
      body.appendString(i == 0 ? "{\"data\":\"" : ",{\"data\":\"").appendBuffer(load.textPayload())
        .appendString("\"}");
    }
    return body.appendByte((byte) ']');
  }

  /** @return the context {@code producer} sends on, so the producer runs there (a new one when pipelining) */
  private io.vertx.core.Context producerContext(HttpCalls producer) {
    io.vertx.core.Context c = producer.context();
    return c != null ? c : vertx.getOrCreateContext();
  }

  private Future<Void> topic(Load load) {
    String t = "bench-w3-" + run;
    HttpCalls producer = client(nodes.producerUrl(), opts.connections, opts.pipelining);
    HttpCalls subscribers = client(nodes.consumerUrl(), opts.subs, 1);
    return producer.call(HttpMethod.PUT, "/topics/" + t, new JsonObject().put("durability", "MEMORY")
        .put("partitions", opts.partitions).toBuffer(),
        "application/json")
      .compose(v -> {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < opts.subs; i++) {
          started.add(subscribe(subscribers, "/topics/" + t + "/events", load, i));
        }
        return Future.all(started);
      })
      .map(v -> {
        publish(producer, "/topics/" + t + "/messages", load, opts.confirmWindow);
        return null;
      });
  }

  /** Opens one topic stream for receiver {@code r}; completes when the stream has its start position. */
  static Future<Void> subscribe(HttpCalls client, String path, Load load, int r) {
    Promise<Void> positioned = Promise.promise();
    SseParser parser = new SseParser(ev -> {
      if ("message".equals(ev.event())) {
        load.receivedStamp(r, Load.textStamp(ev.data(), 0));
      }
    }).idHandler(id -> positioned.tryComplete());
    return client.stream(path, parser, v -> streamEnded(load)).compose(resp -> positioned.future());
  }

  /**
   * Opens one Mercure subscription for receiver {@code r}; completes with the response's head, which the hub sends
   * only once the stream's start position is fixed.
   */
  static Future<Void> subscribeMercure(HttpCalls client, String path, Load load, int r) {
    SseParser parser = new SseParser(ev -> load.receivedStamp(r, Load.textStamp(ev.data(), 0)));
    return client.stream(path, parser, v -> streamEnded(load)).mapEmpty();
  }

  private static void streamEnded(Load load) {
    if (!load.stopping) {
      load.errors.incrementAndGet();
      System.err.println("  an SSE stream ended before the run did");
    }
  }

  private Future<Void> requestReply(Load load) {
    HttpCalls requesters = client(nodes.producerUrl(), opts.concurrency, 1);
    io.vertx.core.Context context = producerContext(requesters);
    for (int i = 0; i < opts.concurrency; i++) {
      int r = i;
      context.runOnContext(v -> request(requesters, load, r));
    }
    return Future.succeededFuture();
  }

  private void request(HttpCalls client, Load load, int r) {
    if (load.stopping) {
      return;
    }
    load.sent.incrementAndGet();
    client.call(HttpMethod.POST, "/requests/" + Nodes.ECHO, load.textPayload(), TEXT).onComplete(ar -> {
      if (ar.succeeded()) {
        load.receivedStamp(r, Load.textStamp(ar.result().toString(), 0));
      } else {
        load.errors.incrementAndGet();
      }
      request(client, load, r);
    });
  }

  @Override
  public Future<Void> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    return Future.join(closing).mapEmpty();
  }
}
