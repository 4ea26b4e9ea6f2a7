package dev.ferrymq.queue;

import dev.ferrymq.ConsumerOptions;
import dev.ferrymq.Delivery;
import dev.ferrymq.Durations;
import dev.ferrymq.InvalidNameException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.Names;
import dev.ferrymq.NotFoundException;
import dev.ferrymq.Queue;
import dev.ferrymq.QueueConsumer;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.QueueStats;
import dev.ferrymq.Reply;
import dev.ferrymq.RequestTimeoutException;
import dev.ferrymq.SendOptions;
import dev.ferrymq.SendResult;
import dev.ferrymq.cluster.HazelcastSupport;
import dev.ferrymq.cluster.Node;
import dev.ferrymq.internal.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** A handle on a queue: checks arguments and forwards each operation to the queue's owner. */
public final class QueueImpl implements Queue {

  private static final Duration MAX_WAIT = Duration.ofMinutes(5);
  private static final int MAX_RECEIVE = 1000;

  private final Node node;
  private final String name;

  /** @param node the node @param name the queue's name, checked on each operation */
  public QueueImpl(Node node, String name) {
    this.node = node;
    this.name = name;
  }

  /** @return the event-bus address of the owner of queue {@code name} */
  public static String address(String name) {
    return "ferrymq.queue." + name;
  }

  @Override
  public String name() {
    return name;
  }

  Vertx vertx() {
    return node.vertx();
  }

  Node node() {
    return node;
  }

  private <T> Future<Message<T>> call(String op, Object body, DeliveryOptions options) {
    return node.callOwner(address(name), name, op, body, options);
  }

  private <T> Future<Message<T>> call(String op, Object body) {
    return call(op, body, new DeliveryOptions());
  }

  private static <T> Future<T> guard(Supplier<Future<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<SendResult> sendForResult(Buffer payload, SendOptions options) {
    return guard(() -> {
      Objects.requireNonNull(options, "options");
      Envelope env = envelope(payload, options, null);
      return sendMessage(env.encode(), options.getIdempotencyKey(), options.getDelay().toMillis(),
        env.headers().get(SendOptions.EXPIRES_AT_HEADER))
        .map(m -> m.body() == null ? new SendResult(env.id(), false) : new SendResult(m.body(), true));
    });
  }

  private Envelope envelope(Buffer payload, SendOptions options, String replyTo) {
    if (payload == null) {
      throw new InvalidRequestException("payload must not be null");
    }
    long now = node.options().getClock().millis();
    Map<String, String> headers = new LinkedHashMap<>(options.getHeaders());
    if (!options.getTtl().isZero()) {
      headers.put(SendOptions.EXPIRES_AT_HEADER, Long.toString(now + options.getTtl().toMillis()));
    }
    return Envelope.create(now, options.getContentType(), headers, payload, replyTo);
  }

  /**
   * Sends a message moved out of another queue (dead-lettered, redriven): not refused by the memory alarm, since the
   * other queue lets go of it once this one has it — moving drains, it does not add.
   */
  Future<Void> moveEnvelope(Buffer envelope) {
    return this.<String>call("send", envelope, new DeliveryOptions().addHeader(QueueOwner.MOVE, "1")).mapEmpty();
  }

  /** The owner answers a new message with nothing, a duplicate of an idempotency key with the first one's id. */
  private Future<Message<String>> sendMessage(Buffer envelope, String idempotencyKey, long delayMs,
                                              String expiresAt) {
    DeliveryOptions delivery = new DeliveryOptions();
    if (expiresAt != null) {
      delivery.addHeader("expires-at", expiresAt);
    }
    if (idempotencyKey != null) {
      delivery.addHeader("idempotency-key", idempotencyKey);
    }
    if (delayMs > 0) {
      delivery.addHeader("delay", Long.toString(delayMs));
    }
    return this.<String>call("send", envelope, delivery);
  }

  @Override
  public Future<Reply> request(Buffer payload, SendOptions options, Duration timeout) {
    return guard(() -> {
      Duration t = Durations.check(timeout, Duration.ofMillis(1), Duration.ofMinutes(10), "timeout");
      String replyAddress = "ferrymq.reply." + Envelope.newId();
      String replyTo = node.nodeId() + "|" + replyAddress;
      Envelope env = envelope(payload, options == null ? new SendOptions() : options, replyTo);
      Promise<Reply> reply = Promise.promise();
      MessageConsumer<Buffer> replies = vertx().eventBus().localConsumer(replyAddress, m -> {
        Map<String, String> headers = new LinkedHashMap<>();
        m.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
        reply.tryComplete(new Reply(m.body(), headers.remove("content-type"), headers));
      });
      long timer = vertx().setTimer(t.toMillis(), id -> reply.tryFail(
        new RequestTimeoutException("no reply to the request on queue '" + name + "' within " + Durations.format(t))));
      replies.completion()
        .compose(v -> sendMessage(env.encode(), null, 0, env.headers().get(SendOptions.EXPIRES_AT_HEADER)))
        .onFailure(reply::tryFail);
      return reply.future().andThen(ar -> {
        vertx().cancelTimer(timer);
        replies.unregister();
      });
    });
  }

  @Override
  public Future<QueueConsumer> consumer(ConsumerOptions options, Handler<Delivery> handler) {
    return guard(() -> {
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(handler, "handler");
      QueueConsumerImpl consumer = new QueueConsumerImpl(this, handler, options);
      JsonObject body = new JsonObject().put("id", consumer.id()).put("address", consumer.address())
        .put("prefetch", options.getPrefetch()).put("node", node.nodeId());
      if (options.isAutoAck()) {
        body.put("autoAck", true);
      }
      if (options.getVisibilityTimeout() != null) {
        body.put("visibility", options.getVisibilityTimeout().toMillis());
      }
      long heartbeatMs = Math.max(1, Math.min(1000, node.options().getConsumerTimeout().toMillis() / 5));
      return consumer.register(body, heartbeatMs)
        .compose(v -> call("consume", body))
        .map(m -> (QueueConsumer) consumer)
        .onFailure(e -> consumer.unregister());
    });
  }

  /** Tells the owner a consumer is alive (and who it is, should the owner have changed). */
  void heartbeat(JsonObject registration) {
    call("heartbeat", registration);
  }

  /** Tells the owner an auto-ack consumer's handler has taken {@code total} deliveries since it started. */
  void credit(String consumerId, long total) {
    call("credit", new JsonObject().put("id", consumerId).put("taken", total));
  }

  /** Tells the owner a consumer is gone; its leases return to the queue. */
  Future<Void> cancel(String consumerId) {
    return call("cancel", consumerId).mapEmpty();
  }

  @Override
  public Future<List<Delivery>> receive(int max, Duration wait, Duration visibility) {
    return receive(max, wait, visibility, false);
  }

  @Override
  public Future<List<Delivery>> receiveAutoAck(int max, Duration wait) {
    return receive(max, wait, null, true);
  }

  private Future<List<Delivery>> receive(int max, Duration wait, Duration visibility, boolean autoAck) {
    return guard(() -> {
      if (max < 1 || max > MAX_RECEIVE) {
        throw new InvalidRequestException("max must be between 1 and " + MAX_RECEIVE + ", was " + max);
      }
      Duration w = Durations.check(wait == null ? Duration.ZERO : wait, Duration.ZERO, MAX_WAIT, "wait");
      JsonObject body = new JsonObject().put("max", max).put("wait", w.toMillis());
      if (visibility != null) {
        body.put("visibility", Durations.check(visibility, Duration.ofMillis(1), QueueOptions.MAX_VISIBILITY_TIMEOUT,
          "visibility").toMillis());
      }
      if (autoAck) {
        body.put("autoAck", true);
      }
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(w.toMillis() + 30_000);
      return this.<Buffer>call("receive", body, options).map(m -> Deliveries.decode(m.body(), this, autoAck));
    });
  }

  @Override
  public Future<Void> ack(String leaseId) {
    return guard(() -> call("ack", lease(leaseId)).mapEmpty());
  }

  @Override
  public Future<Void> nack(String leaseId, Duration delay) {
    return guard(() -> {
      Duration d = Durations.check(delay == null ? Duration.ZERO : delay, Duration.ZERO, SendOptions.MAX_DELAY, "delay");
      return call("nack", new JsonObject().put("lease", lease(leaseId)).put("delay", d.toMillis())).mapEmpty();
    });
  }

  @Override
  public Future<Void> reject(String leaseId) {
    return guard(() -> call("reject", lease(leaseId)).mapEmpty());
  }

  @Override
  public Future<Void> extend(String leaseId, Duration visibility) {
    return guard(() -> {
      Duration v = Durations.check(visibility, Duration.ofMillis(1), QueueOptions.MAX_VISIBILITY_TIMEOUT, "visibility");
      return call("extend", new JsonObject().put("lease", lease(leaseId)).put("visibility", v.toMillis())).mapEmpty();
    });
  }

  private static String lease(String leaseId) {
    if (leaseId == null || leaseId.isEmpty() || leaseId.length() > 100) {
      throw new InvalidRequestException("a lease id must have 1 to 100 characters");
    }
    return leaseId;
  }

  /**
   * Succeeds when the queue exists (its entry in the meta map); else fails with {@link NotFoundException}. Reads and
   * administration check this first, so they never start an owner, which would create the queue.
   */
  private Future<Void> existing() {
    return exists(name).compose(yes -> yes ? Future.succeededFuture()
      : Future.failedFuture(NotFoundException.queue(name)));
  }

  private Future<Boolean> exists(String queue) {
    if (!Names.validOrPartition(queue)) {
      return Future.failedFuture(new InvalidNameException(queue));
    }
    return HazelcastSupport.meta(node.hazelcast(), HazelcastSupport.QUEUE_META, queue).map(json -> json != null);
  }

  @Override
  public Future<QueueStats> stats() {
    return existing().compose(v -> this.<JsonObject>call("stats", null)).compose(m -> {
      JsonObject s = m.body();
      String dlq = s.getString("deadLetterQueue");
      // The dead-letter queue's own depth only: following its dead-letter queue in turn could loop forever.
      Future<Long> dead = dlq == null ? Future.succeededFuture(0L)
        : exists(dlq).compose(exists -> !exists ? Future.succeededFuture(0L)
            : new QueueImpl(node, dlq).<JsonObject>call("stats", null).map(r -> r.body().getLong("ready")
              + r.body().getLong("delayed") + r.body().getLong("inFlight")));
      return dead.map(d -> new QueueStats(name, s.getLong("ready"), s.getLong("delayed"), s.getLong("inFlight"),
        s.getInteger("consumers"), d, dlq, s.getLong("bytes", 0L), s.getLong("sent", 0L), s.getLong("paged", 0L)));
    });
  }

  @Override
  public Future<QueueOptions> options() {
    return existing().compose(v -> this.<JsonObject>call("options", null)).map(m -> new QueueOptions(m.body()));
  }

  @Override
  public Future<Void> configure(QueueOptions options) {
    return guard(() -> call("configure", Objects.requireNonNull(options, "options").toJson()).mapEmpty());
  }

  @Override
  public Future<Long> purge() {
    return existing().compose(v -> this.<Long>call("purge", null)).map(Message::body);
  }

  @Override
  public Future<Void> delete() {
    return existing().compose(v -> call("delete", null)).mapEmpty();
  }

  @Override
  public Future<List<Delivery>> peekDeadLetters(int limit) {
    return guard(() -> {
      if (limit < 1 || limit > MAX_RECEIVE) {
        throw new InvalidRequestException("limit must be between 1 and " + MAX_RECEIVE + ", was " + limit);
      }
      return deadLetterQueue().compose(dlq -> dlq == null ? Future.succeededFuture(List.<Delivery>of())
        : dlq.<Buffer>call("peek", new JsonObject().put("limit", limit)).map(m -> Deliveries.decode(m.body(), dlq, false)));
    });
  }

  @Override
  public Future<Long> redrive(int max) {
    return guard(() -> {
      if (max < 1) {
        throw new InvalidRequestException("max must be at least 1, was " + max);
      }
      return deadLetterQueue().compose(dlq -> dlq == null ? Future.succeededFuture(0L)
        : dlq.<Long>call("move", new JsonObject().put("to", name).put("max", max)).map(Message::body));
    });
  }

  /** @return the dead-letter queue when this queue has one and it exists (peeking or redriving creates nothing) */
  private Future<QueueImpl> deadLetterQueue() {
    return options().compose(o -> {
      String dlq = o.deadLetterQueueOf(name);
      return dlq == null ? Future.succeededFuture(null)
        : exists(dlq).map(exists -> exists ? new QueueImpl(node, dlq) : null);
    });
  }
}
