package dev.ferrymq.cluster;

import dev.ferrymq.internal.Failures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one cluster-wide event-bus address of a node, {@code ferrymq.node.<nodeId>}. Everything that crosses nodes
 * goes through it: operations for the owners this node runs, deliveries to its consumers, topic batches for its
 * subscribers and replies to its requesters. Registered once at start, so nothing waits for per-destination
 * registrations to spread through the cluster; behind it, owners and consumers use local addresses.
 */
public final class NodeEndpoint {

  /**
   * Header naming the target: {@code owner:<address>} (a request), {@link #BATCH} (several, in {@link CallBatch}'s
   * form) or {@code forward:<address>} (a send).
   */
  public static final String TO = "ferrymq-to";
  /** The target of several owner calls in one message. */
  static final String BATCH = "owners";
  /** The failure code of a target this endpoint does not know (as an endpoint of an older version answers). */
  static final int UNKNOWN_TARGET = 400;

  private final Vertx vertx;
  private final String nodeId;
  private final Owners owners;
  private final Journals journals;
  private final Map<String, Handler<Message<Object>>> questions = new ConcurrentHashMap<>();
  private MessageConsumer<Object> consumer;

  /** The endpoint of node {@code nodeId}, handing calls to {@code owners} and questions to {@code journals}. */
  public NodeEndpoint(Vertx vertx, String nodeId, Owners owners, Journals journals) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.owners = owners;
    this.journals = journals;
  }

  /** @return the address of node {@code nodeId} */
  public static String address(String nodeId) {
    return "ferrymq.node." + nodeId;
  }

  /** Lets {@code handler} answer requests to target {@code target} (a question other members ask this node). */
  public void answer(String target, Handler<Message<Object>> handler) {
    questions.put(target, handler);
  }

  /** Registers the endpoint's cluster-wide address. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(address(nodeId), this::handle);
    return consumer.completion();
  }

  /** Unregisters it. */
  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<Object> msg) {
    String to = msg.headers().get(TO);
    DeliveryOptions options = new DeliveryOptions().setHeaders(copyWithout(msg.headers()));
    if (to == null) {
      msg.fail(400, "no target");
    } else if (to.startsWith("forward:")) {
      vertx.eventBus().send(to.substring(8), msg.body(), options);
    } else if (to.equals("ping")) {
      msg.reply(nodeId);
    } else if (to.equals(Journals.TARGET)) {
      if (journals == null) {
        msg.fail(503, "node " + nodeId + " keeps no journal of its own");
      } else {
        journals.answer(msg);
      }
    } else if (to.startsWith("owner:")) {
      owners.callLocal(to.substring(6), msg.body(), options).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
        } else {
          Failures.reply(msg, ar.cause()); // as the owner said it, "moved" included: the caller retries
        }
      });
    } else if (to.equals(BATCH)) {
      batch(msg);
    } else if (questions.containsKey(to)) {
      questions.get(to).handle(msg);
    } else {
      msg.fail(UNKNOWN_TARGET, "unknown target " + to);
    }
  }

  /** Hands each call of a batch to its owner here, in order, and answers all of them in one reply. */
  private void batch(Message<Object> msg) {
    List<CallBatch.Call> calls;
    try {
      calls = CallBatch.decodeCalls((Buffer) msg.body());
    } catch (RuntimeException e) {
      msg.fail(500, "a batch of calls in a form not understood here"); // not UNKNOWN_TARGET: batches are known
      return;
    }
    List<Future<Message<Object>>> answers = new ArrayList<>(calls.size());
    for (CallBatch.Call c : calls) {
      DeliveryOptions options = new DeliveryOptions().setHeaders(c.headers()).setSendTimeout(c.timeoutMs());
      answers.add(owners.callLocal(c.address(), c.body(), options));
    }
    Future.join(answers).onComplete(v -> {
      List<CallBatch.Result> results = new ArrayList<>(answers.size());
      for (Future<Message<Object>> a : answers) {
        if (a.succeeded() && CallBatch.carries(a.result().body())) {
          results.add(CallBatch.Result.reply(a.result().headers(), a.result().body()));
        } else {
          ReplyException r = a.succeeded()
            ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "an answer that cannot cross nodes")
            : Failures.asReply(a.cause());
          results.add(CallBatch.Result.failure(r.failureCode(), r.getMessage()));
        }
      }
      msg.reply(CallBatch.encodeResults(results));
    });
  }

  private static MultiMap copyWithout(MultiMap headers) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(e -> {
      if (!e.getKey().equalsIgnoreCase(TO)) {
        copy.add(e.getKey(), e.getValue());
      }
    });
    return copy;
  }
}
