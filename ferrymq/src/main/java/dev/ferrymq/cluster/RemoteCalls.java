package dev.ferrymq.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.cluster.CallBatch.Call;
import dev.ferrymq.cluster.CallBatch.Result;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Calls to owners on other members, through their {@link NodeEndpoint}. Calls made on one event loop in one turn (the
 * sends of a batch publish, the requests one read of the network brought) to the same member leave together, at the
 * end of the turn, as one event-bus message with one reply ({@link CallBatch}); a call alone in its turn, or made
 * off an event loop, travels as it is. Each call still gets its own owner's answer, so what a confirm means does not
 * change. The event bus keeps routing to a dead node for a while and its requests would only fail at their timeout,
 * so calls in flight to a member that leaves fail at once with {@link Owners#MOVED}, and the caller retries them
 * against the new owner.
 */
final class RemoteCalls {

  /**
   * The operations that may share a message: quick ones, answered as soon as they are done. A call that may wait
   * (a long-polling receive, a deployment, a purge) would hold back every answer of its batch.
   */
  private static final Set<String> QUICK = Set.of("send", "publish", "ack", "nack", "reject", "extend", "heartbeat",
    "credit", "cancel");
  /** Larger bodies travel alone: a batch copies each body once more on both nodes. */
  private static final int MAX_BATCHED_BODY = 64 * 1024;
  private static final int MAX_BATCH_CALLS = 256;
  private static final int MAX_BATCH_BYTES = 1024 * 1024;
  /** Beyond the longest timeout of its calls: an owner that answers one late fails that call, not the batch. */
  private static final long BATCH_TIMEOUT_MARGIN_MS = 2000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Map<String, Set<Runnable>> inFlight = new ConcurrentHashMap<>();
  /** Members whose endpoint does not know batches (an older version, during a rolling upgrade). */
  private final Set<String> unbatched = ConcurrentHashMap.newKeySet();

  /** A call waiting for the end of its event loop's turn; {@code alone}: one that may not share a message. */
  private record Pending(String address, Object body, DeliveryOptions options, Promise<Message<Object>> promise,
                         boolean alone) {
  }

  /** The calls one event loop gathered this turn, per member. */
  private static final class Gather {
    final Map<String, List<Pending>> byMember = new LinkedHashMap<>();
    boolean scheduled;
  }

  RemoteCalls(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  @SuppressWarnings("unchecked")
  <T> Future<Message<T>> call(String member, String address, Object body, DeliveryOptions options) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
      return single(member, address, body, options);
    }
    Gather gather = context.get(this);
    boolean alone = !batchable(body, options);
    if (alone && (gather == null || !gather.byMember.containsKey(member))) {
      return single(member, address, body, options);
    }
    if (gather == null) {
      gather = new Gather();
      context.put(this, gather);
    }
    // A call that may not share a message still waits behind the calls gathered before it: calls to a member leave
    // in the order they were made (one producer's messages stay in order).
    Promise<Message<Object>> promise = Promise.promise();
    gather.byMember.computeIfAbsent(member, m -> new ArrayList<>())
      .add(new Pending(address, body, options, promise, alone));
    if (!gather.scheduled) {
      gather.scheduled = true;
      Gather g = gather;
      context.runOnContext(v -> flush(g));
    }
    return (Future<Message<T>>) (Future<?>) promise.future();
  }

  private static boolean batchable(Object body, DeliveryOptions options) {
    return options.getHeaders() != null && QUICK.contains(options.getHeaders().get("op")) && CallBatch.carries(body)
      && !(body instanceof Buffer b && b.length() > MAX_BATCHED_BODY);
  }

  private void flush(Gather gather) {
    gather.scheduled = false;
    List<Map.Entry<String, List<Pending>>> all = new ArrayList<>(gather.byMember.entrySet());
    gather.byMember.clear();
    for (Map.Entry<String, List<Pending>> e : all) {
      sendInOrder(e.getKey(), e.getValue());
    }
  }

  /** Sends {@code calls} in order: runs of calls that may share a message in batches, the others alone. */
  private void sendInOrder(String member, List<Pending> calls) {
    if (unbatched.contains(member)) {
      singly(member, calls);
      return;
    }
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < calls.size(); i++) {
      Pending p = calls.get(i);
      if (p.alone) {
        flushRun(member, calls.subList(from, i));
        singly(member, List.of(p));
        from = i + 1;
        bytes = 0;
        continue;
      }
      bytes += p.body instanceof Buffer b ? b.length() : 64;
      if (i + 1 - from == MAX_BATCH_CALLS || bytes >= MAX_BATCH_BYTES) {
        flushRun(member, calls.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    flushRun(member, calls.subList(from, calls.size()));
  }

  private void flushRun(String member, List<Pending> run) {
    if (run.size() == 1) {
      singly(member, run);
    } else if (run.size() > 1) {
      batch(member, new ArrayList<>(run));
    }
  }

  private void singly(String member, List<Pending> calls) {
    for (Pending p : calls) {
      this.<Object>single(member, p.address, p.body, p.options).onComplete(ar -> settle(p.promise, ar));
    }
  }

  private <T> Future<Message<T>> single(String member, String address, Object body, DeliveryOptions options) {
    Promise<Message<T>> promise = Promise.promise();
    DeliveryOptions remote = new DeliveryOptions(options).addHeader(NodeEndpoint.TO, "owner:" + address);
    send(member, promise::tryFail, vertx.eventBus().<T>request(NodeEndpoint.address(member), body, remote))
      .onComplete(ar -> settle(promise, ar));
    return promise.future();
  }

  private static <T> void settle(Promise<T> promise, io.vertx.core.AsyncResult<T> ar) {
    if (ar.succeeded()) {
      promise.tryComplete(ar.result());
    } else {
      promise.tryFail(ar.cause());
    }
  }

  private void batch(String member, List<Pending> pending) {
    List<Call> calls = new ArrayList<>(pending.size());
    long timeout = 0;
    for (Pending p : pending) {
      calls.add(new Call(p.address, p.options.getHeaders(), p.options.getSendTimeout(), p.body));
      timeout = Math.max(timeout, p.options.getSendTimeout());
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout + BATCH_TIMEOUT_MARGIN_MS)
      .addHeader(NodeEndpoint.TO, NodeEndpoint.BATCH);
    Future<Message<Buffer>> reply = vertx.eventBus().request(NodeEndpoint.address(member),
      CallBatch.encodeCalls(calls), options);
    send(member, e -> pending.forEach(p -> p.promise.tryFail(e)), reply).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ReplyException r && r.failureCode() == NodeEndpoint.UNKNOWN_TARGET) {
          unbatched.add(member); // its endpoint predates batches: nothing was done, each call goes again alone
          singly(member, pending);
        } else {
          pending.forEach(p -> p.promise.tryFail(ar.cause()));
        }
        return;
      }
      List<Result> results;
      try {
        results = CallBatch.decodeResults(ar.result().body());
      } catch (RuntimeException e) {
        results = List.of();
      }
      if (results.size() != pending.size()) {
        ReplyException unreadable = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
          "member " + member + " answered a batch of " + pending.size() + " calls in a form not understood here");
        pending.forEach(p -> p.promise.tryFail(unreadable));
        return;
      }
      for (int i = 0; i < pending.size(); i++) {
        Pending p = pending.get(i);
        Result r = results.get(i);
        if (r.failed()) {
          p.promise.tryFail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, r.code(), r.message()));
        } else {
          p.promise.tryComplete(new LocalMessage<>(p.address, r.headers(), r.body(), null));
        }
      }
    });
  }

  /**
   * Tracks {@code request} to {@code member} until it completes; if the member leaves first, {@code abort} gets
   * {@link Owners#MOVED} on the caller's context.
   */
  private <T> Future<T> send(String member, Consumer<Throwable> abort, Future<T> request) {
    Context context = vertx.getOrCreateContext();
    Runnable onLeft = () -> context.runOnContext(v -> abort.accept(
      new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Owners.MOVED, "member " + member + " left")));
    inFlight.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(onLeft);
    if (hazelcast.getCluster().getMembers().stream().noneMatch(m -> HazelcastSupport.nodeId(m).equals(member))) {
      onLeft.run(); // it left before this call was registered: nothing else will abort it
    }
    return request.andThen(ar -> inFlight.computeIfPresent(member, (m, set) -> {
      set.remove(onLeft);
      return set.isEmpty() ? null : set;
    }));
  }

  /** Fails the calls in flight to a member that left the cluster. */
  void memberLeft(String member) {
    unbatched.remove(member);
    Set<Runnable> calls = inFlight.remove(member);
    if (calls != null) {
      calls.forEach(Runnable::run);
    }
  }
}
