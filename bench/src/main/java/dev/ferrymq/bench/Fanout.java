package dev.ferrymq.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * W5, SSE fan-out: {@code --clients} SSE connections on one topic. Measures the server's RSS per idle connection,
 * the time for one message to reach every connection ({@code --samples} messages, one at a time), then sustained
 * events/s with the producer at most {@code --window} messages ahead of the slowest stream. With {@code --mercure}
 * the same through the Mercure hub: form-encoded publishes to {@code /.well-known/mercure}, streams subscribed to one
 * topic IRI there (the hub's FerryMQ topic set to the same durability, memory).
 */
final class Fanout {

  private static final int WAVE = 500;
  private static final long REACH_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

  private Fanout() {
  }

  static JsonObject run(Vertx vertx, Nodes nodes, BenchOptions opts) throws Exception {
    Load load = new Load(opts.size, opts.window, opts.clients);
    String topic = opts.mercure ? "mercure" : "bench-w5-" + UUID.randomUUID().toString().substring(0, 8);
    // --mercure: the same fan-out through the Mercure hub, whose updates all live in the FerryMQ topic "mercure".
    String iri = "https://bench.example/w5/" + UUID.randomUUID();
    String publish = opts.mercure ? "/.well-known/mercure" : "/topics/" + topic + "/messages";
    String type = opts.mercure ? "application/x-www-form-urlencoded" : "text/plain";
    String streamPath = opts.mercure ? "/.well-known/mercure?topic=" + enc(iri) : "/topics/" + topic + "/events";
    java.util.function.Supplier<io.vertx.core.buffer.Buffer> body = () -> opts.mercure
      ? io.vertx.core.buffer.Buffer.buffer("topic=" + enc(iri) + "&data=" + enc(load.textPayload().toString()))
      : load.textPayload();
    HttpCalls producer = new HttpCalls(vertx, nodes.producerUrl(), 4, 1);
    HttpCalls streams = new HttpCalls(vertx, nodes.consumerUrl(), opts.clients, 1);
    try {
      producer.call(HttpMethod.PUT, "/topics/" + topic, new JsonObject().put("durability", "MEMORY").toBuffer(),
        "application/json").await(30, TimeUnit.SECONDS);
      Thread.sleep(1000); // let the node settle before the baseline RSS
      long rss0 = ProcStats.rssKiB(nodes.pids);
      long t0 = System.nanoTime();
      for (int from = 0; from < opts.clients; from += WAVE) {
        List<Future<?>> wave = new ArrayList<>();
        for (int i = from; i < Math.min(opts.clients, from + WAVE); i++) {
          wave.add(opts.mercure ? HttpWorkloads.subscribeMercure(streams, streamPath, load, i)
            : HttpWorkloads.subscribe(streams, streamPath, load, i));
        }
        Future.all(wave).await(120, TimeUnit.SECONDS);
        System.err.printf(Locale.ROOT, "  %,d / %,d streams open (%.1f s)%n", Math.min(opts.clients, from + WAVE),
          opts.clients, (System.nanoTime() - t0) / 1e9);
      }
      double connectSecs = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(2000);
      long rss1 = ProcStats.rssKiB(nodes.pids);

      // Warm-up as in every workload (--warm, 2 s): messages one at a time, each until all have it, not recorded.
      int warmed = 0;
      for (long end = System.nanoTime() + (long) (opts.warm * 1e9); warmed == 0 || System.nanoTime() < end; ) {
        warmed++;
        long sent = System.nanoTime();
        load.sent.incrementAndGet();
        producer.call(HttpMethod.POST, publish, body.get(), type).await(30, TimeUnit.SECONDS);
        while (load.totalReceived() < (long) warmed * opts.clients && System.nanoTime() - sent < REACH_TIMEOUT_NS) {
          Thread.sleep(1);
        }
      }
      System.err.printf(Locale.ROOT, "  warm-up: %d messages%n", warmed);
      long base = load.totalReceived(); // not warmed * clients: a warm-up message may have missed some streams

      Histogram reach = new Histogram(REACH_TIMEOUT_NS / 1000, 3);
      load.measuring = true;
      int missed = 0;
      for (int k = 1; k <= opts.samples; k++) {
        long target = base + (long) k * opts.clients;
        long sent = System.nanoTime();
        load.sent.incrementAndGet();
        producer.call(HttpMethod.POST, publish, body.get(), type).await(30, TimeUnit.SECONDS);
        while (load.totalReceived() < target && System.nanoTime() - sent < REACH_TIMEOUT_NS) {
          Thread.sleep(1); // polling from the main thread
        }
        long got = load.totalReceived();
        if (got < target) {
          missed++;
          System.err.printf(Locale.ROOT, "  message %d reached %,d of %,d streams in 30 s%n", k,
            got - target + opts.clients, opts.clients);
          break;
        }
        long micros = (load.lastReceived - sent) / 1000;
        reach.recordValue(Math.min(micros, reach.getHighestTrackableValue()));
        System.err.printf(Locale.ROOT, "  message %d/%d reached all %,d streams in %s%n", k, opts.samples,
          opts.clients, Measurement.time(micros));
        Thread.sleep(100);
      }
      load.measuring = false;
      long eventP50;
      long eventP99;
      synchronized (load.latency) {
        eventP50 = load.latency.getValueAtPercentile(50) / 1000;
        eventP99 = load.latency.getValueAtPercentile(99) / 1000;
        load.latency.reset();
      }

      Producer.start(vertx, load, opts.rate, opts.window,
        () -> producer.call(HttpMethod.POST, publish, body.get(), type));
      JsonObject r = Measurement.run(load, opts, nodes.pids, "events/s");
      return r.put("clients", opts.clients).put("connectSecs", Math.round(connectSecs * 10) / 10.0)
        .put("reachAllP50Us", reach.getValueAtPercentile(50)).put("reachAllP99Us", reach.getValueAtPercentile(99))
        .put("reachAllMaxUs", reach.getMaxValue()).put("reachSamples", reach.getTotalCount()).put("reachMissed", missed)
        .put("reachEventP50Us", eventP50).put("reachEventP99Us", eventP99)
        .put("idleRssMiB", rss1 < 0 ? null : rss1 / 1024)
        .put("kibPerConnection", rss1 < 0 ? null : Math.round(10.0 * (rss1 - rss0) / opts.clients) / 10.0);
    } finally {
      load.stopping = true;
      Future.join(producer.close(), streams.close()).await(60, TimeUnit.SECONDS);
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  static String line(JsonObject r) {
    return String.format(Locale.ROOT, "%s: one message reaches all in p50 %s, p99 %s (%d messages; per stream p50 %s,"
        + " p99 %s); sustained %,d events/s (p50 %s, p99 %s); %s KiB per idle stream (server rss %s MiB with all open)"
        + "; server cpu %s%%; load %s",
      r.getString("label"), Measurement.time(r.getLong("reachAllP50Us")), Measurement.time(r.getLong("reachAllP99Us")),
      r.getLong("reachSamples"), Measurement.time(r.getLong("reachEventP50Us")),
      Measurement.time(r.getLong("reachEventP99Us")), r.getLong("msgsPerSec"), Measurement.time(r.getLong("p50Us")),
      Measurement.time(r.getLong("p99Us")), r.getValue("kibPerConnection"), r.getValue("idleRssMiB"),
      r.getValue("serverCpuPercent"), r.getString("load1"));
  }
}
