package dev.ferrymq.topic;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Node;
import io.vertx.core.Future;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node's pattern subscriptions learn of topics created anywhere in the cluster: one Hazelcast entry listener
 * on the topics' meta map ({@code ferrymq.meta.topics}, whose entry is written when a topic is created on any node),
 * registered on a worker the first time a pattern subscription starts here, and, as a safety net for an event lost
 * with a member, a re-read of the map's names every {@link #RELIST_MS} ms while pattern subscriptions run.
 */
public final class TopicWatch {

  private static final Logger LOG = LoggerFactory.getLogger(TopicWatch.class);
  static final long RELIST_MS = 10_000;

  private final Node node;
  private final Set<PatternSubscriptionImpl> watchers = new CopyOnWriteArraySet<>();
  private Future<UUID> listener;
  private long relist = -1;

  /** @param node the node */
  public TopicWatch(Node node) {
    this.node = node;
  }

  private IMap<String, String> meta() {
    return node.hazelcast().getMap(HazelcastSupport.TOPIC_META);
  }

  /** Adds {@code s}; the future completes once topics created from now on are told to it. */
  synchronized Future<Void> add(PatternSubscriptionImpl s) {
    watchers.add(s);
    if (listener == null || listener.failed()) {
      listener = node.vertx().executeBlocking(() -> meta().addEntryListener(
        (EntryAddedListener<String, String>) e -> created(e.getKey()), false));
    }
    if (relist < 0) {
      relist = node.vertx().setPeriodic(RELIST_MS, id -> names()
        .onSuccess(names -> watchers.forEach(w -> names.forEach(w::topicCreated)))
        .onFailure(e -> LOG.debug("topic names not read: {}", e.toString())));
    }
    return listener.mapEmpty();
  }

  /** Removes {@code s}. */
  synchronized void remove(PatternSubscriptionImpl s) {
    watchers.remove(s);
    if (watchers.isEmpty() && relist >= 0) {
      node.vertx().cancelTimer(relist);
      relist = -1;
    }
  }

  /** @return the names of the topics that exist, sorted */
  Future<Set<String>> names() {
    return node.vertx().executeBlocking(() -> new TreeSet<>(meta().keySet()));
  }

  private void created(String name) {
    for (PatternSubscriptionImpl w : watchers) {
      w.topicCreated(name);
    }
  }

  /** Removes the entry listener, if one was registered. */
  public synchronized Future<Void> close() {
    if (relist >= 0) {
      node.vertx().cancelTimer(relist);
      relist = -1;
    }
    Future<UUID> registered = listener;
    listener = null;
    if (registered == null) {
      return Future.succeededFuture();
    }
    return registered.compose(id -> node.vertx().executeBlocking(() -> meta().removeEntryListener(id)))
      .<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
