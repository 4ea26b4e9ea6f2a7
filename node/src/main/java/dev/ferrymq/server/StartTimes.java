package dev.ferrymq.server;

import java.lang.management.ManagementFactory;

/** When each start-up step of a node ended, in ms after the JVM started (0: not reached, or not a clustered node). */
final class StartTimes {

  /** The Hazelcast config is read (XML parsed and checked against its schema). */
  volatile long config;
  /** The Hazelcast member is started: it joined the cluster (or formed one). */
  volatile long hazelcast;
  /** The clustered Vert.x is up (vertx-hazelcast's own maps and listeners included). */
  volatile long vertx;
  /** The broker is up: its endpoint is registered cluster-wide. */
  volatile long broker;
  /** The HTTP gateway listens. */
  volatile long gateway;

  /** @return ms since the JVM started */
  static long now() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  @Override
  public String toString() {
    return (config > 0 ? "Hazelcast config read at " + config + " ms, member joined at " + hazelcast + " ms, " : "")
      + "Vert.x up at " + vertx + " ms, broker at " + broker + " ms, gateway listening at " + gateway + " ms";
  }
}
