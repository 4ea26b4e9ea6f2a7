package dev.ferrymq.topic;

import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.PatternSubscription;
import dev.ferrymq.Position;
import dev.ferrymq.SubscribeOptions;
import dev.ferrymq.Subscription;
import dev.ferrymq.TopicGap;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicPattern;
import dev.ferrymq.cluster.Node;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import io.vertx.core.Promise;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to every topic that matches one of its patterns: one {@link SubscriptionImpl} per matching topic
 * (so each topic's messages come once and in order), all on one context; topics that appear later are told by the
 * node's {@link TopicWatch}. Its state is touched on that context only.
 */
public final class PatternSubscriptionImpl implements PatternSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(PatternSubscriptionImpl.class);
  private static final Subscription STARTING = new Subscription() {
    @Override
    public long lastSeq() {
      return 0;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  };

  private final Node node;
  private final Fanouts fanouts;
  private final TopicWatch watch;
  private final List<TopicPattern> patterns;
  private final SubscribeOptions options;
  private final Handler<TopicMessage> handler;
  private final Handler<TopicGap> gapHandler;
  private final Context context;
  /** Per followed topic: its subscription, or {@link #STARTING}. */
  private final Map<String, Subscription> followed = new ConcurrentHashMap<>();
  private final Map<String, Long> positions = new ConcurrentSkipListMap<>();
  private volatile boolean started;
  private volatile boolean closed;
  private boolean warnedFull;

  /** Checks the patterns; {@link #start()} begins. */
  public PatternSubscriptionImpl(Node node, Fanouts fanouts, TopicWatch watch, List<String> patterns,
                                 SubscribeOptions options, Handler<TopicMessage> handler,
                                 Handler<TopicGap> gapHandler) {
    if (patterns == null || patterns.isEmpty() || options == null || handler == null || gapHandler == null) {
      throw new InvalidRequestException("patterns (at least one), options, handler and gapHandler must be given");
    }
    this.node = node;
    this.fanouts = fanouts;
    this.watch = watch;
    this.patterns = patterns.stream().map(TopicPattern::new).distinct().toList();
    this.options = new SubscribeOptions(options);
    this.handler = handler;
    this.gapHandler = gapHandler;
    this.context = node.vertx().getOrCreateContext();
  }

  /** Follows the matching topics that exist, then those created later. */
  public Future<PatternSubscription> start() {
    return watch.add(this).compose(v -> watch.names()).compose(names -> onContext(() -> {
      Map<String, Long> resume = options.getPositions();
      Position existing = resume.isEmpty() ? options.getFrom() : Position.EARLIEST;
      for (TopicPattern p : patterns) {
        if (!p.isWildcard()) {
          names.add(p.text()); // named outright: followed (and created) whether it exists or not
        }
      }
      List<Future<Void>> starts = new ArrayList<>();
      for (String name : names) {
        if (matches(name)) {
          Long seen = resume.get(name);
          starts.add(follow(name, seen != null ? Position.after(seen) : existing));
        }
      }
      started = true;
      return Future.all(starts);
    })).map(v -> (PatternSubscription) this).onFailure(e -> close());
  }

  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  /** A partition of a partitioned topic ({@code orders~3}) matches when its topic does. */
  private boolean matches(String name) {
    String topic = Names.destinationOf(name);
    for (TopicPattern p : patterns) {
      if (p.matches(name) || p.matches(topic)) {
        return true;
      }
    }
    return false;
  }

  /** Told by the watch (any thread) that topic {@code name} exists. */
  void topicCreated(String name) {
    if (matches(name)) {
      context.runOnContext(v -> {
        if (started) {
          follow(name, Position.EARLIEST);
        }
      });
    }
  }

  private Future<Void> follow(String name, Position from) {
    if (closed || followed.containsKey(name)) {
      return Future.succeededFuture();
    }
    if (followed.size() >= options.getMaxTopics()) {
      if (!warnedFull) {
        warnedFull = true;
        LOG.warn("subscription to {} follows its maximum of {} topics; {} and later ones are left out", patterns,
          options.getMaxTopics(), name);
      }
      return Future.succeededFuture();
    }
    followed.put(name, STARTING);
    int partition = Names.isPartition(name)
      ? Integer.parseInt(name.substring(name.lastIndexOf(Names.PARTITION_SEPARATOR) + 1)) : -1;
    return new TopicImpl(node, fanouts, name).subscribe(from, m -> {
      positions.put(name, m.seq()); // by the partition's own name: each numbers on its own
      handler.handle(partition < 0 ? m : m.inPartition(Names.destinationOf(name), partition));
    }, gap -> gapHandler.handle(new TopicGap(name, gap.requested(), gap.oldest()))).map(sub -> {
      if (closed) {
        sub.close();
      } else {
        followed.put(name, sub);
        positions.merge(name, sub.lastSeq(), Math::max);
      }
      return (Void) null;
    }).onFailure(e -> {
      followed.remove(name); // the next re-list tries again
      LOG.debug("topic {} not followed: {}", name, e.toString());
    });
  }

  @Override
  public List<TopicPattern> patterns() {
    return patterns;
  }

  @Override
  public Map<String, Long> positions() {
    return Collections.unmodifiableMap(new TreeMap<>(positions));
  }

  @Override
  public Future<Void> close() {
    watch.remove(this);
    closed = true;
    List<Future<Void>> closes = new ArrayList<>();
    followed.values().forEach(s -> closes.add(s.close()));
    followed.clear();
    return Future.join(closes).mapEmpty();
  }
}
