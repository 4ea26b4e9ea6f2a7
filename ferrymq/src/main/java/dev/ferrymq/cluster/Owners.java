package dev.ferrymq.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import dev.ferrymq.internal.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the one owner verticle of each queue and topic on the member that owns the Hazelcast partition of its
 * name, and routes operations to it: locally when this node is that member, else through the owner's
 * {@link NodeEndpoint}. An owner starts on first use and stops when its partition moves away; a call that finds
 * the partition in transit is retried for a few seconds.
 */
public final class Owners {

  private static final Logger LOG = LoggerFactory.getLogger(Owners.class);
  /** Failure code of "this node no longer owns that destination": the caller looks the owner up again. */
  public static final int MOVED = 421;
  private static final long RETRY_FOR_NS = TimeUnit.SECONDS.toNanos(15);
  private static final long RETRY_DELAY_MS = 50;
  private static final long SWEEP_MS = 100;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Map<String, Function<String, OwnerVerticle>> kinds = new LinkedHashMap<>();
  private final Map<String, Future<Deployed>> deployments = new ConcurrentHashMap<>();
  private final RemoteCalls remote;
  private final Map<String, Partition> partitions = new ConcurrentHashMap<>();
  private java.util.UUID membershipListener;
  private final AtomicBoolean checkScheduled = new AtomicBoolean();
  private java.util.UUID listener;
  private long checker = -1;
  /**
   * Local calls, swept every {@value #SWEEP_MS} ms: answered ones are dropped, those past their deadline failed. As an
   * event-bus request would, an owner that never answers (a bug) must not hang its caller for ever — without a timer
   * per call, whose scheduling and cancelling cost ~7 % of the CPU of a queue's send-and-ack path.
   */
  private final java.util.Queue<LocalCall> localCalls = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final long sweeper;
  /** The broker's own context for its timers: one of the caller's verticle would cancel them at its undeploy. */
  private final ContextInternal timers;

  private record LocalCall(Promise<Message<Object>> reply, long deadline) {
  }

  /** An empty registry for the node of {@code vertx} and {@code hazelcast}. */
  public Owners(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.remote = new RemoteCalls(vertx, hazelcast);
    this.timers = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    this.sweeper = timers.setPeriodic(SWEEP_MS, id -> sweep());
  }

  private void sweep() {
    long now = System.nanoTime();
    for (java.util.Iterator<LocalCall> it = localCalls.iterator(); it.hasNext(); ) {
      LocalCall call = it.next();
      if (call.reply.future().isComplete()) {
        it.remove();
      } else if (now - call.deadline > 0) {
        it.remove();
        call.reply.tryFail(new ReplyException(ReplyFailure.TIMEOUT, -1, "no answer from the owner in time"));
      }
    }
  }

  /** Declares that addresses starting with {@code prefix} are owned by what {@code factory} makes of the name. */
  public void kind(String prefix, Function<String, OwnerVerticle> factory) {
    kinds.put(prefix, factory);
  }

  /**
   * Stops local owners whose partition has moved to another member: on migration events (where this member
   * hears them) and once a second in any case.
   */
  public void watchMigrations() {
    listener = hazelcast.getPartitionService().addMigrationListener(new MigrationListener() {
      @Override
      public void migrationStarted(MigrationState state) {
      }

      @Override
      public void migrationFinished(MigrationState state) {
        scheduleCheck();
      }

      @Override
      public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        scheduleCheck();
      }

      @Override
      public void replicaMigrationFailed(ReplicaMigrationEvent event) {
      }
    });
    checker = timers.setPeriodic(1000, id -> stopMoved());
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        memberLeft(HazelcastSupport.nodeId(event.getMember()));
        scheduleCheck();
      }
    });
  }

  private void scheduleCheck() {
    if (checkScheduled.compareAndSet(false, true)) {
      vertx.runOnContext(v -> {
        checkScheduled.set(false);
        stopMoved();
      });
    }
  }

  private void stopMoved() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    for (String address : List.copyOf(deployments.keySet())) {
      if (!isLocalOwner(address)) {
        LOG.info("{} moved to another member; stopping its owner here", address);
        stop(address);
      }
    }
  }

  /** @return the name part of an owner address */
  private String nameOf(String address) {
    for (String prefix : kinds.keySet()) {
      if (address.startsWith(prefix)) {
        return address.substring(prefix.length());
      }
    }
    throw new IllegalArgumentException("not an owner address: " + address);
  }

  private Member ownerOf(String address) {
    // The partition of a name never changes (only its owner does); looking it up serializes and hashes the name.
    if (partitions.size() > 100_000) {
      partitions.clear();
    }
    return partitions.computeIfAbsent(address, a -> hazelcast.getPartitionService().getPartition(nameOf(a)))
      .getOwner();
  }

  /** @return whether this member owns the partition of the destination at {@code address} */
  public boolean isLocalOwner(String address) {
    Member owner = ownerOf(address);
    return owner != null && owner.localMember();
  }

  /** @return the node id of the member that owns {@code address} now, or {@code null} while unassigned */
  public String ownerNode(String address) {
    Member owner = ownerOf(address);
    return owner == null ? null : HazelcastSupport.nodeId(owner);
  }

  /** Sends {@code op} to the owner of {@code address}, wherever it runs, and returns its answer. */
  public <T> Future<Message<T>> call(String address, String op, Object body, DeliveryOptions options) {
    options.addHeader("op", op);
    return attempt(address, body, options, System.nanoTime() + RETRY_FOR_NS);
  }

  private <T> Future<Message<T>> attempt(String address, Object body, DeliveryOptions options, long deadline) {
    Future<Message<T>> f;
    try {
      Member owner = ownerOf(address);
      if (owner == null) {
        f = Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, MOVED, "partition unassigned"));
      } else if (owner.localMember()) {
        f = deliverLocal(address, body, options); // ownership just checked: no second lookup
      } else {
        f = remote.call(HazelcastSupport.nodeId(owner), address, body, options);
      }
    } catch (RuntimeException e) { // Hazelcast shutting down
      f = Future.failedFuture(e);
    }
    return f.recover(e -> {
      if (retryable(e) && System.nanoTime() < deadline) {
        return vertx.timer(RETRY_DELAY_MS).compose(v -> attempt(address, body, options, deadline));
      }
      return Future.failedFuture(Failures.fromReply(e));
    });
  }

  /** Fails the calls in flight to a member that left the cluster. */
  void memberLeft(String member) {
    remote.memberLeft(member);
  }

  /** Calls the owner on this node, starting it if needed; fails with {@link #MOVED} when this node is not it. */
  <T> Future<Message<T>> callLocal(String address, Object body, DeliveryOptions options) {
    if (!isLocalOwner(address)) {
      stop(address);
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, MOVED, address + " moved"));
    }
    return deliverLocal(address, body, options);
  }

  private static boolean retryable(Throwable e) {
    return e instanceof ReplyException r && (r.failureType() == ReplyFailure.NO_HANDLERS
      || (r.failureType() == ReplyFailure.RECIPIENT_FAILURE && r.failureCode() == MOVED));
  }

  /** Hands the call to the owner on this node, starting it if needed; the caller checked this node owns it. */
  private <T> Future<Message<T>> deliverLocal(String address, Object body, DeliveryOptions options) {
    Future<Deployed> deployed = ensure(address);
    if (deployed.succeeded()) { // the usual case: no future more per call
      return deliverLocal(deployed.result(), address, body, options);
    }
    // The owner is being deployed (from the broker's context): answer on the caller's context all the same.
    Promise<Message<T>> answer = ((ContextInternal) vertx.getOrCreateContext()).promise();
    deployed.compose(d -> this.<T>deliverLocal(d, address, body, options)).onComplete(answer);
    return answer.future();
  }

  @SuppressWarnings("unchecked")
  private <T> Future<Message<T>> deliverLocal(Deployed d, String address, Object body, DeliveryOptions options) {
    Promise<Message<Object>> reply = ((ContextInternal) vertx.getOrCreateContext()).promise();
    localCalls.add(new LocalCall(reply, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getSendTimeout())));
    d.owner().deliver(new LocalMessage<>(address, options.getHeaders(), body, reply));
    return (Future<Message<T>>) (Future<?>) reply.future();
  }

  /** An owner running here and its deployment. */
  private record Deployed(String id, OwnerVerticle owner) {
  }

  private Future<Deployed> ensure(String address) {
    Future<Deployed> f = deployments.get(address);
    if (f == null) {
      f = deployments.computeIfAbsent(address, a -> {
        OwnerVerticle owner = kinds.entrySet().stream().filter(k -> a.startsWith(k.getKey())).findFirst()
          .orElseThrow().getValue().apply(nameOf(a));
        // Deployed from the broker's own context: a deployment made from another owner's context would be its child,
        // and Vert.x undeploys children with their parent (a dead-letter queue's owner with its source queue's).
        Promise<String> id = timers.promise();
        timers.runOnContext(v -> vertx.deployVerticle(owner).onComplete(id));
        return id.future().map(i -> new Deployed(i, owner));
      });
      Future<Deployed> deployed = f;
      f.onFailure(e -> deployments.remove(address, deployed));
    }
    return f;
  }

  /** Undeploys the owner of {@code address} if it runs here. */
  public Future<Void> stop(String address) {
    Future<Deployed> f = deployments.remove(address);
    return f == null ? Future.succeededFuture() : f.compose(d -> vertx.undeploy(d.id())).otherwiseEmpty().mapEmpty();
  }

  /** Undeploys every owner started here. */
  public Future<Void> stopAll() {
    vertx.cancelTimer(checker);
    vertx.cancelTimer(sweeper);
    if (listener != null) {
      try {
        hazelcast.getPartitionService().removeMigrationListener(listener);
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      } catch (RuntimeException ignored) {
        // member already down
      }
    }
    List<Future<Void>> all = new ArrayList<>();
    for (String address : List.copyOf(deployments.keySet())) {
      all.add(stop(address));
    }
    return Future.join(all).mapEmpty();
  }
}
