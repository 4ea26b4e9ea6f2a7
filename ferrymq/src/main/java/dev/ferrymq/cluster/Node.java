package dev.ferrymq.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.metrics.Meters;
import dev.ferrymq.spi.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.Set;

/**
 * What queue and topic owners need from the node they run on: its Vert.x, options, Hazelcast member and store, its
 * place in the cluster, calls to other owners and sends to consumers on any node.
 */
public interface Node {

  /** @return the Vert.x instance of the node */
  Vertx vertx();

  /** @return the broker's options */
  BrokerOptions options();

  /** @return the Hazelcast member holding the replicated state */
  HazelcastInstance hazelcast();

  /** @return the store behind the owners, or {@code null} when the node keeps messages in memory only */
  MessageStore store();

  /**
   * @return the node's journals when its store is its own (snapshots at take-over, recovery after a full restart),
   *     or {@code null} when it has no store or a shared one
   */
  Journals journals();

  /** @return the node's account of the bytes its queue owners hold, and its memory alarm */
  MemoryAccount memoryAccount();

  /** @return the node's metrics ({@link Meters#NONE} when it reports none) */
  default Meters meters() {
    return Meters.NONE;
  }

  /** @return this node's id in the cluster */
  String nodeId();

  /** @return the ids of the cluster's members now, or {@code null} while Hazelcast is not running */
  Set<String> memberIds();

  /** @return the registry of the owners of this node */
  Owners owners();

  /**
   * Sends {@code op} to the owner of destination {@code name} at {@code address}, wherever it runs; fails at once when
   * the node is closed or the name is invalid.
   */
  <T> Future<Message<T>> callOwner(String address, String name, String op, Object body, DeliveryOptions options);

  /**
   * Sends {@code body} to the local address {@code address} of node {@code node}, through that node's endpoint when it
   * is another one. Like any event-bus send it may be lost with that node; callers rely on leases and acks.
   */
  void sendTo(String node, String address, Object body, DeliveryOptions options);
}
