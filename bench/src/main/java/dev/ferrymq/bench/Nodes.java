package dev.ferrymq.bench;

import java.util.List;

/**
 * The FerryMQ nodes a run talks to over HTTP: their base URLs and, when the harness started them itself, their
 * process ids (for server CPU and RSS) and how to stop them.
 */
final class Nodes implements AutoCloseable {

  /** The event-bus address of the echo responder the harness asks its nodes for ({@code --echo}). */
  static final String ECHO = "bench.echo";

  final List<String> urls;
  final List<Long> pids;
  /** Milliseconds from spawning to ready, or -1 when the nodes were already running. */
  final long startMs;
  private final Runnable stopper;

  Nodes(List<String> urls, List<Long> pids, long startMs, Runnable stopper) {
    this.urls = List.copyOf(urls);
    this.pids = List.copyOf(pids);
    this.startMs = startMs;
    this.stopper = stopper;
  }

  /** Nodes someone else runs ({@code --url}, {@code --urls}). */
  static Nodes remote(List<String> urls) {
    return new Nodes(urls, List.of(), -1, () -> { });
  }

  /** @return where the producer publishes: the first node */
  String producerUrl() {
    return urls.get(0);
  }

  /** @return where consumers connect: the second node when there are several, so traffic crosses the cluster */
  String consumerUrl() {
    return urls.get(Math.min(1, urls.size() - 1));
  }

  boolean local() {
    return !pids.isEmpty();
  }

  @Override
  public void close() {
    stopper.run();
  }
}
