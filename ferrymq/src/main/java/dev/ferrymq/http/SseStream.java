package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import dev.ferrymq.Payloads;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Server-Sent Events response: headers, events, heartbeat comments and back-pressure. Events sent in one turn of
 * the stream's event loop (a batch of deliveries or topic messages) go out in two writes: the first at once, so a
 * lone event is not delayed, the others gathered into one by a task queued behind the turn. While the socket's
 * write queue is full, further bytes are counted; past {@link GatewayOptions#getSseBufferLimit()} the client is too
 * slow and its connection is closed, which runs the close actions (closing its subscription or consumer).
 */
final class SseStream {

  /** Prefix of an SSE {@code data} payload that is sent as base64 (not UTF-8 text, or holding CR or NUL). */
  static final String BASE64_MARKER = "base64:";

  /** Streams closed because their client could not keep up, in this JVM (for metrics and tests). */
  static final java.util.concurrent.atomic.AtomicLong SLOW_CLIENTS_DROPPED = new java.util.concurrent.atomic.AtomicLong();

  /** The last comment of a stream its server shuts down: the client reconnects after the retry delay, elsewhere. */
  static final String STOPPING = "the node is stopping: reconnect";
  /** The open streams of each connection, for its shutdown. */
  private static final Map<HttpConnection, Set<SseStream>> BY_CONNECTION = new ConcurrentHashMap<>();

  /** Most bytes gathered into one write. */
  private static final int MAX_COALESCED = 64 * 1024;

  private final RoutingContext ctx;
  private final Context context;
  /** The connection's event-loop thread (event-bus handlers run on duplicates of its context, so compare threads). */
  private final Thread loop = Thread.currentThread();
  private final HttpServerResponse response;
  private final int bufferLimit;
  private final List<Runnable> closeActions = new ArrayList<>();
  private final long heartbeat;
  private boolean congested;
  private long overflow;
  private boolean closed;
  /** Bytes sent in this turn and not yet written; {@code pendingOwned} when it is our own copy, not a shared event. */
  private Buffer pending;
  private boolean pendingOwned;
  /** Whether an event was sent in this turn of the event loop (a task at the end of the turn writes the rest). */
  private boolean inTurn;
  private final Turn turn = Turn.OF_LOOP.get();

  /**
   * The streams of one event loop that sent in its current turn, and one task behind the turn that writes what each
   * of them gathered: a message fanned out to 10,000 streams queues one task, not 10,000.
   */
  private static final class Turn {
    static final ThreadLocal<Turn> OF_LOOP = ThreadLocal.withInitial(Turn::new);
    private List<SseStream> streams = new ArrayList<>();
    private List<SseStream> spare = new ArrayList<>();

    void add(SseStream s) {
      if (streams.isEmpty()) {
        s.context.runOnContext(v -> end());
      }
      streams.add(s);
    }

    private void end() {
      List<SseStream> now = streams;
      streams = spare; // a stream sending while these are written starts the next turn's list (and task)
      for (SseStream s : now) {
        s.inTurn = false;
        s.flush();
      }
      now.clear();
      spare = now;
    }
  }

  private SseStream(RoutingContext ctx, GatewayOptions options) {
    this.ctx = ctx;
    this.context = ctx.vertx().getOrCreateContext();
    this.response = ctx.response();
    this.bufferLimit = options.getSseBufferLimit();
    response.setStatusCode(200)
      .setChunked(true)
      .putHeader("Content-Type", "text/event-stream; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .putHeader("X-Accel-Buffering", "no");
    // Through the routing context, not the response's own end and close handlers, which it uses (the access log).
    ctx.addEndHandler(ar -> cleanup());
    onClose(() -> StreamLimiter.release(ctx));
    HttpConnection connection = ctx.request().connection();
    if (connection != null) {
      // The server shuts down gracefully (the node drains): a last comment, then the end, so the client reconnects.
      // A connection has one shutdown handler and, over HTTP/2, many streams: it ends every one of them.
      BY_CONNECTION.computeIfAbsent(connection, c -> {
        c.shutdownHandler(v -> {
          Set<SseStream> streams = BY_CONNECTION.remove(c);
          if (streams != null) {
            List.copyOf(streams).forEach(stream -> stream.endWith(STOPPING));
          }
        });
        return ConcurrentHashMap.newKeySet();
      }).add(this);
      onClose(() -> BY_CONNECTION.computeIfPresent(connection, (c, streams) -> {
        streams.remove(this);
        return streams.isEmpty() ? null : streams;
      }));
    }
    this.heartbeat = ctx.vertx().setPeriodic(options.getHeartbeatInterval().toMillis(), id -> comment("heartbeat"));
    // Written at once: the head is out, so a later failure of the request closes the stream instead of answering.
    response.write("retry: " + options.getRetry().toMillis() + "\n\n: ferrymq\n\n");
    if (response.closed()) {
      cleanup(); // the client left before the stream opened: its close handler will never run
    }
  }

  /** Answers {@code ctx} with an event stream. */
  static SseStream open(RoutingContext ctx, GatewayOptions options) {
    return new SseStream(ctx, options);
  }

  /**
   * Fails an SSE request that has no stream yet: a client error as a problem, anything else as a stream that ends at
   * once with a retry hint, because a browser's EventSource never reconnects after a 5xx.
   */
  static void fail(RoutingContext ctx, GatewayOptions options, Throwable cause) {
    if (Problems.statusOf(cause, 500) < 500 || ctx.response().ended()) {
      ctx.fail(cause);
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.request().connection().close();
    } else {
      open(ctx, options).endWith(cause);
    }
  }

  /** @return {@code payload} as one SSE data value: UTF-8 text when it is safe, else {@link #BASE64_MARKER} + base64 */
  static String text(Buffer payload) {
    String s = Payloads.utf8OrNull(payload);
    if (s == null || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0 || s.startsWith(BASE64_MARKER)) {
      return BASE64_MARKER + Base64.getEncoder().encodeToString(payload.getBytes());
    }
    return s;
  }

  void onClose(Runnable action) {
    if (closed) {
      action.run();
    } else {
      closeActions.add(action);
    }
  }

  boolean closed() {
    return closed;
  }

  /** Writes one event; {@code data} must hold no CR (see {@link #text}); each of its lines becomes a data line. */
  void event(String id, String event, String data) {
    send(encode(id, event, data));
  }

  /** @return the bytes of one event, to {@link #send} on one or many streams */
  static Buffer encode(String id, String event, String data) {
    StringBuilder sb = new StringBuilder(data.length() + 64);
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    sb.append("event: ").append(event).append('\n');
    int start = 0;
    while (true) {
      int nl = data.indexOf('\n', start);
      sb.append("data: ").append(data, start, nl < 0 ? data.length() : nl).append('\n');
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    return Buffer.buffer(sb.append('\n').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sets the client's last event id without an event (a block with an id and no data dispatches nothing). */
  void id(String id) {
    write("id: " + id + "\n\n");
  }

  void comment(String text) {
    write(": " + oneLine(String.valueOf(text)) + "\n\n");
  }

  private void write(String text) {
    send(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Sends encoded events (see {@link #encode}) with the others of this turn of the event loop; the buffer is not
   * changed, so one may go to many streams.
   */
  void send(Buffer buf) {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != loop) {
      context.runOnContext(v -> send(buf));
      return;
    }
    if (!inTurn) {
      // The first event of a turn goes out at once (a lone event is not delayed); the rest of the turn is gathered.
      inTurn = true;
      turn.add(this);
      pending = buf;
      flush();
    } else if (pending == null) {
      pending = buf;
    } else {
      if (!pendingOwned) {
        pending = Buffer.buffer(Math.max(4096, 2 * (pending.length() + buf.length()))).appendBuffer(pending);
        pendingOwned = true;
      }
      pending.appendBuffer(buf);
      if (pending.length() >= MAX_COALESCED) {
        flush(); // large events: write as they come, so a congested socket is noticed and counted per write
      }
    }
  }

  /** Writes what was sent in this turn: one write, one flush. */
  private void flush() {
    Buffer buf = pending;
    pending = null;
    pendingOwned = false;
    if (closed || buf == null || response.ended()) {
      return;
    }
    response.write(buf);
    if (congested) {
      overflow += buf.length();
      if (overflow > bufferLimit) {
        SLOW_CLIENTS_DROPPED.incrementAndGet();
        abort();
      }
    } else if (response.writeQueueFull()) {
      congested = true;
      overflow = 0;
      response.drainHandler(v -> congested = false);
    }
  }

  /** Ends the stream after a comment saying why; the client reconnects after the retry delay. */
  void endWith(Throwable cause) {
    endWith(cause.getMessage());
  }

  /** Ends the stream after the comment {@code closed: why}; the client reconnects after the retry delay. */
  void endWith(String why) {
    comment("closed: " + why);
    end();
  }

  /** Ends the stream normally; the client reconnects after the retry delay. */
  void end() {
    if (Thread.currentThread() != loop) {
      context.runOnContext(v -> end());
    } else if (!closed) {
      flush();
      cleanup();
      response.end();
    }
  }

  /** Drops the connection of a client that cannot keep up. */
  void abort() {
    cleanup();
    ctx.request().connection().close();
  }

  private void cleanup() {
    if (closed) {
      return;
    }
    closed = true;
    ctx.vertx().cancelTimer(heartbeat);
    closeActions.forEach(Runnable::run);
    closeActions.clear();
  }

  private static String oneLine(String s) {
    return Problems.truncate(s.replaceAll("[\\r\\n\\x00]", " "), 200);
  }
}
