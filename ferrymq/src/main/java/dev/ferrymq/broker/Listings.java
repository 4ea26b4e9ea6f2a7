package dev.ferrymq.broker;

import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.Broker;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Page;
import dev.ferrymq.QueueInfo;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.TopicStats;
import dev.ferrymq.cluster.HazelcastSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The paged listings of queues and topics with their stats: names and options from the meta maps (read on a worker,
 * as Hazelcast has no async form for a whole map), the stats from each destination's owner.
 */
final class Listings {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Broker broker;

  Listings(Vertx vertx, HazelcastInstance hazelcast, Broker broker) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.broker = broker;
  }

  Future<Page<QueueInfo>> queues(String after, int limit) {
    return page(HazelcastSupport.QUEUE_META, after, limit, all -> {
      Map<String, List<String>> sources = deadLetterSources(all);
      return name -> {
        QueueOptions options = options(all.get(name));
        return broker.queue(name).stats()
          .map(s -> new QueueInfo(s, options, sources.getOrDefault(name, List.of())));
      };
    });
  }

  Future<Page<TopicStats>> topics(String after, int limit) {
    return page(HazelcastSupport.TOPIC_META, after, limit, all -> name -> broker.topic(name).stats());
  }

  /** @param items given all names and options, the function that reads the stats of one */
  private <T> Future<Page<T>> page(String meta, String after, int limit,
                                   Function<NavigableMap<String, String>, Function<String, Future<T>>> items) {
    try {
      Page.checkLimit(limit);
      if (after != null) {
        Names.check(after);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> {
      NavigableMap<String, String> all = new TreeMap<>(hazelcast.<String, String>getMap(meta));
      all.keySet().removeIf(Names::isPartition); // a partitioned destination is listed once, with its partitions' sums
      return all;
    }, false).compose(all -> {
      List<String> names = new ArrayList<>();
      for (String name : after == null ? all.keySet() : all.tailMap(after, false).keySet()) {
        if (names.size() == limit + 1) {
          break;
        }
        names.add(name);
      }
      String next = names.size() > limit ? names.get(limit - 1) : null;
      Function<String, Future<T>> item = items.apply(all);
      List<Future<T>> reads = new ArrayList<>();
      for (String name : names.subList(0, Math.min(limit, names.size()))) {
        reads.add(item.apply(name));
      }
      return Future.join(reads).transform(ar -> {
        List<T> out = new ArrayList<>();
        for (Future<T> f : reads) {
          if (f.succeeded()) {
            out.add(f.result());
          } else if (!(f.cause() instanceof NotFoundException)) { // deleted meanwhile: left out
            return Future.failedFuture(f.cause());
          }
        }
        return Future.succeededFuture(new Page<>(out, next));
      });
    });
  }

  /** @return for each dead-letter queue named in {@code all}'s options, the queues that send to it, sorted */
  private static Map<String, List<String>> deadLetterSources(NavigableMap<String, String> all) {
    Map<String, List<String>> sources = new HashMap<>();
    all.forEach((name, json) -> {
      String dlq = options(json).deadLetterQueueOf(name);
      if (dlq != null) {
        sources.computeIfAbsent(dlq, d -> new ArrayList<>()).add(name);
      }
    });
    return sources;
  }

  private static QueueOptions options(String json) {
    try {
      return new QueueOptions(new JsonObject(json));
    } catch (RuntimeException e) {
      return new QueueOptions();
    }
  }
}
