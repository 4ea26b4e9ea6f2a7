package dev.ferrymq.broker;

import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.ClusterInfo;
import dev.ferrymq.Durations;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.MessageMemory;
import dev.ferrymq.Names;
import dev.ferrymq.Page;
import dev.ferrymq.PatternSubscription;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueInfo;
import dev.ferrymq.Reply;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.SubscribeOptions;
import dev.ferrymq.Topic;
import dev.ferrymq.TopicGap;
import dev.ferrymq.TopicMessage;
import dev.ferrymq.TopicStats;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.cluster.ClusterProtection;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Journals;
import dev.ferrymq.cluster.MemoryAccount;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.cluster.NodeEndpoint;
import dev.ferrymq.cluster.Owners;
import dev.ferrymq.internal.Failures;
import dev.ferrymq.metrics.Meters;
import dev.ferrymq.queue.QueueImpl;
import dev.ferrymq.queue.QueueOwner;
import dev.ferrymq.shard.RoutedQueue;
import dev.ferrymq.shard.RoutedTopic;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.store.Stores;
import dev.ferrymq.topic.Fanouts;
import dev.ferrymq.topic.PatternSubscriptionImpl;
import dev.ferrymq.topic.TopicImpl;
import dev.ferrymq.topic.TopicOwner;
import dev.ferrymq.topic.TopicWatch;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker node: the Hazelcast member, the owners it runs, and handles to queues and topics. */
public final class BrokerImpl implements Broker, Node {

  /** Event-bus addresses FerryMQ uses itself; requests may not reach them. */
  public static final String INTERNAL_PREFIX = "ferrymq.";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerImpl.class);

  private final Vertx vertx;
  private final BrokerOptions options;
  private final HazelcastInstance hazelcast;
  private final boolean ownsHazelcast;
  private final Owners owners;
  private final Fanouts fanouts;
  private final TopicWatch topicWatch;
  private final NodeEndpoint endpoint;
  private final Listings listings;
  private final MessageStore store;
  private final boolean ownsStore;
  private final Journals journals;
  private final String nodeId;
  private final MemoryAccount memory;
  private final PartitionCounts queuePartitions;
  private final PartitionCounts topicPartitions;
  private final Meters meters;
  private final BrokerMeters brokerMeters;
  /** Closes the broker when its Vert.x closes, so that {@code vertx.close()} alone ends the embedded member. */
  private final Closeable closeHook = completion -> close().onComplete(ar -> completion.complete(null, ar.cause()));
  private volatile boolean closed;
  /** Whether this broker has been ready once (logged then, with the time since the JVM started). */
  private volatile boolean wasReady;

  private BrokerImpl(Vertx vertx, BrokerOptions options, HazelcastInstance hazelcast, boolean ownsHazelcast,
                     MessageStore store, boolean ownsStore) {
    this.vertx = vertx;
    this.store = store;
    this.ownsStore = ownsStore;
    this.options = options;
    this.hazelcast = hazelcast;
    this.ownsHazelcast = ownsHazelcast;
    this.nodeId = HazelcastSupport.nodeId(hazelcast.getCluster().getLocalMember());
    this.memory = MemoryAccount.ofHeap(options.getMemoryHighWatermark());
    this.brokerMeters = BrokerMeters.of(vertx, options, hazelcast, memory, store);
    this.meters = brokerMeters == null ? Meters.NONE : brokerMeters.meters();
    this.owners = new Owners(vertx, hazelcast);
    this.owners.kind(QueueImpl.address(""), name -> new QueueOwner(this, name));
    this.owners.kind(TopicImpl.address(""), name -> new TopicOwner(this, name));
    this.fanouts = new Fanouts(this);
    this.topicWatch = new TopicWatch(this);
    // Ownership moves only between members: a broker alone on its own member keeps its store as a single node's.
    boolean clusterable = !ownsHazelcast || options.getHazelcastConfig() != null;
    this.journals = clusterable ? Journals.of(vertx, hazelcast, store) : null;
    this.endpoint = new NodeEndpoint(vertx, nodeId, owners, journals);
    SubscriberCounts.answer(endpoint, fanouts);
    this.listings = new Listings(vertx, hazelcast, this);
    this.queuePartitions = new PartitionCounts(hazelcast, HazelcastSupport.QUEUE_META, "queue");
    this.topicPartitions = new PartitionCounts(hazelcast, HazelcastSupport.TOPIC_META, "topic");
  }

  private Future<Broker> init() {
    ((VertxInternal) vertx).addCloseHook(closeHook);
    owners.watchMigrations();
    return seedDestinations()
      .compose(v -> vertx.executeBlocking(() -> {
        queuePartitions.load();
        topicPartitions.load();
        return null;
      }, false))
      .compose(v -> journals == null ? Future.succeededFuture() : journals.start())
      .compose(v -> endpoint.start()).map(v -> (Broker) this)
      .recover(e -> close().transform(ignored -> Future.failedFuture(e)));
  }

  /** After a full restart Hazelcast knows no destination: list the stored ones again (owners load lazily). */
  private Future<Void> seedDestinations() {
    if (store == null) {
      return Future.succeededFuture();
    }
    return Future.all(store.loadOptions(MessageStore.Kind.QUEUE), store.loadOptions(MessageStore.Kind.TOPIC))
      .compose(all -> vertx.executeBlocking(() -> {
        Map<String, String> queues = all.resultAt(0);
        Map<String, String> topics = all.resultAt(1);
        queues.forEach(hazelcast.<String, String>getMap(HazelcastSupport.QUEUE_META)::putIfAbsent);
        topics.forEach(hazelcast.<String, String>getMap(HazelcastSupport.TOPIC_META)::putIfAbsent);
        return null;
      }));
  }

  /**
   * Starts a broker on {@code vertx}: opens the store, then joins Hazelcast (the Vert.x cluster's member when it is
   * clustered with vertx-hazelcast, else an embedded one).
   */
  public static Future<Broker> start(Vertx vertx, BrokerOptions options) {
    boolean ownsStore = options.getMessageStore() == null;
    Future<MessageStore> opening = !ownsStore ? Future.succeededFuture(options.getMessageStore())
      : options.getStore().getType() == StoreOptions.Type.NONE ? Future.succeededFuture(null)
      : Stores.open(vertx, options.getStore());
    LOG.info("FerryMQ keeps confirmed messages {}", !ownsStore ? "in the application's store "
      + options.getMessageStore().getClass().getName() : options.getStore().describe());
    return opening.compose(store -> {
      HazelcastInstance clustered = HazelcastSupport.ofVertx(vertx);
      Future<HazelcastInstance> hz = clustered != null
        ? vertx.executeBlocking(() -> {
          List<String> missing = ClusterProtection.missing(clustered);
          if (!missing.isEmpty()) {
            throw new IllegalStateException("the application's Hazelcast config lacks what FerryMQ needs to confirm"
              + " only what is safe: " + String.join("; ", missing) + ". Declare them as cluster-config/hazelcast.xml"
              + " does (split-brain protection 'ferrymq-majority', maps 'ferrymq.q.*' and 'ferrymq.meta.*').");
          }
          return clustered;
        })
        : HazelcastSupport.startEmbedded(vertx, options);
      return hz.map(h -> new BrokerImpl(vertx, options, h, clustered == null, store, ownsStore))
        .compose(BrokerImpl::init)
        .onFailure(e -> {
          if (store != null && ownsStore) {
            store.close();
          }
        });
    });
  }

  @Override
  public Queue queue(String name) {
    return new RoutedQueue(name, queuePartitions, n -> new QueueImpl(this, n));
  }

  @Override
  public Topic topic(String name) {
    return new RoutedTopic(name, topicPartitions, n -> new TopicImpl(this, fanouts, n));
  }

  @Override
  public Future<PatternSubscription> subscribe(List<String> patterns, SubscribeOptions options,
                                               Handler<TopicMessage> handler, Handler<TopicGap> gapHandler) {
    try {
      return new PatternSubscriptionImpl(this, fanouts, topicWatch, patterns, options, handler, gapHandler).start();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<List<String>> queues() {
    return names(HazelcastSupport.QUEUE_META);
  }

  @Override
  public Future<List<String>> topics() {
    return names(HazelcastSupport.TOPIC_META);
  }

  @Override
  public Future<Page<QueueInfo>> queues(String after, int limit) {
    return listings.queues(after, limit);
  }

  @Override
  public Future<Page<TopicStats>> topics(String after, int limit) {
    return listings.topics(after, limit);
  }

  private Future<List<String>> names(String meta) {
    return vertx.executeBlocking(() -> {
      List<String> names = new ArrayList<>(hazelcast.<String, String>getMap(meta).keySet());
      names.removeIf(Names::isPartition); // shown as the destination they belong to
      names.sort(null);
      return names;
    });
  }

  @Override
  public Future<Reply> request(String address, Buffer payload, Map<String, String> headers, Duration timeout) {
    try {
      Names.check(address);
      if (address.startsWith(INTERNAL_PREFIX)) {
        throw new InvalidRequestException("addresses starting with '" + INTERNAL_PREFIX + "' are FerryMQ's own");
      }
      Objects.requireNonNull(payload, "payload");
      Duration t = timeout == null ? options.getDefaultRequestTimeout()
        : Durations.check(timeout, Duration.ofMillis(1), Duration.ofMinutes(10), "timeout");
      DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(t.toMillis());
      if (headers != null) {
        headers.forEach(delivery::addHeader);
      }
      return vertx.eventBus().request(address, payload, delivery)
        .map(Replies::of)
        .recover(e -> Future.failedFuture(Failures.fromRequest(e, address)));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<ClusterInfo> cluster() {
    return vertx.executeBlocking(() -> {
      List<ClusterInfo.Member> members = new ArrayList<>();
      for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
        members.add(new ClusterInfo.Member(HazelcastSupport.nodeId(m), m.getAddress().getHost() + ":"
          + m.getAddress().getPort(), m.localMember()));
      }
      Map<String, String> owners = new java.util.TreeMap<>();
      for (String q : hazelcast.<String, String>getMap(HazelcastSupport.QUEUE_META).keySet()) {
        owners.put("queue:" + q, String.valueOf(this.owners.ownerNode(QueueImpl.address(q))));
      }
      for (String t : hazelcast.<String, String>getMap(HazelcastSupport.TOPIC_META).keySet()) {
        owners.put("topic:" + t, String.valueOf(this.owners.ownerNode(TopicImpl.address(t))));
      }
      boolean safe = hazelcast.getPartitionService().isLocalMemberSafe();
      return new ClusterInfo(nodeId, members, safe, owners);
    }, false).compose(info -> SubscriberCounts.total(vertx,
        info.members().stream().map(ClusterInfo.Member::id).toList())
      .map(subscribers -> new ClusterInfo(info.nodeId(), info.members(), info.safe(), info.owners(), subscribers)));
  }

  @Override
  public Future<Void> ready() {
    if (closed || !hazelcast.getLifecycleService().isRunning()) {
      return Future.failedFuture(new UnavailableException("the broker is closed"));
    }
    String storeProblem = store == null ? null : store.problem();
    if (storeProblem != null) {
      return Future.failedFuture(new UnavailableException("the store does not take writes, so nothing is confirmed: "
        + storeProblem));
    }
    return vertx.executeBlocking(() -> {
      int members = hazelcast.getCluster().getMembers().size();
      int minimum = ClusterProtection.minimumMembers(hazelcast);
      if (members < minimum) {
        throw new UnavailableException("this member may not confirm writes: split-brain protection needs " + minimum
          + " members, " + members + " present");
      }
      if (!ClusterProtection.mayWrite(hazelcast)) {
        throw new UnavailableException("this member may not confirm writes yet: its split-brain protection has not"
          + " seen enough members");
      }
      return hazelcast.getPartitionService().isLocalMemberSafe();
    }, false)
      .timeout(5, java.util.concurrent.TimeUnit.SECONDS)
      .compose(safe -> {
        if (!safe) {
          return Future.failedFuture(new UnavailableException("partitions are migrating or not yet backed up"));
        }
        List<Future<Object>> pings = new ArrayList<>();
        for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
          pings.add(vertx.eventBus().request(NodeEndpoint.address(HazelcastSupport.nodeId(m)), null,
            new DeliveryOptions().setSendTimeout(2000).addHeader(NodeEndpoint.TO, "ping")).map(r -> null));
        }
        return Future.all(pings).<Void>mapEmpty()
          .recover(e -> Future.failedFuture(new UnavailableException("a member's endpoint does not answer yet: "
            + e.getMessage())));
      })
      .onSuccess(v -> {
        if (!wasReady) {
          wasReady = true;
          LOG.info("ready: {} members, partitions safe, every endpoint answers ({} ms after JVM start)",
            hazelcast.getCluster().getMembers().size(),
            java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        }
      });
  }

  @Override
  public <T> Future<Message<T>> callOwner(String address, String name, String op, Object body,
                                          DeliveryOptions options) {
    if (closed) {
      return Future.failedFuture(new UnavailableException("the broker is closed"));
    }
    if (!Names.validOrPartition(name)) {
      return Future.failedFuture(new InvalidNameException(name));
    }
    return owners.call(address, op, body, options);
  }

  @Override
  public java.util.Set<String> memberIds() {
    try {
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
        ids.add(HazelcastSupport.nodeId(m));
      }
      return ids;
    } catch (RuntimeException e) { // shutting down
      return null;
    }
  }

  @Override
  public MessageMemory memory() {
    return memory.status();
  }

  @Override
  public Meters meters() {
    return meters;
  }

  @Override
  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return meters.registry();
  }

  @Override
  public MemoryAccount memoryAccount() {
    return memory;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public BrokerOptions options() {
    return options;
  }

  @Override
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  @Override
  public MessageStore store() {
    return store;
  }

  @Override
  public Journals journals() {
    return journals;
  }

  @Override
  public Owners owners() {
    return owners;
  }

  @Override
  public void sendTo(String node, String address, Object body, DeliveryOptions options) {
    if (node == null || node.equals(nodeId)) {
      vertx.eventBus().send(address, body, options);
    } else {
      vertx.eventBus().send(NodeEndpoint.address(node), body,
        new DeliveryOptions(options).addHeader(NodeEndpoint.TO, "forward:" + address));
    }
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    ((VertxInternal) vertx).removeCloseHook(closeHook);
    if (journals != null) {
      journals.stop();
    }
    return topicWatch.close().eventually(owners::stopAll).eventually(endpoint::stop)
      .andThen(ar -> {
        if (brokerMeters != null) {
          brokerMeters.close();
        }
      })
      .eventually(() -> store == null || !ownsStore ? Future.succeededFuture() : store.close())
      .eventually(() -> ownsHazelcast ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        queuePartitions.close(); // the application's Hazelcast outlives this broker: leave no listener on it
        topicPartitions.close();
        return null;
      }))
      .eventually(() -> ownsHazelcast
      ? vertx.executeBlocking(() -> {
        hazelcast.shutdown();
        return null;
      }) : Future.succeededFuture()).mapEmpty();
  }
}
