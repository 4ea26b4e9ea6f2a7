package dev.ferrymq.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's lean HTTP/1.1 client for short requests: up to {@code connections} keep-alive TCP connections,
 * one request in flight on each (no pipelining), the request written as one buffer and the response read by its
 * {@code Content-Length}. It does what a load generator needs and no more, so that its own CPU, which shares the
 * cores with the node, stays small: no header maps, no redirects, no chunked responses (the node sends none to
 * these requests). Its connections live on the context of its first call; calls from other contexts hop there, and
 * answers come back on the caller's context.
 */
final class KeepAliveClient {

  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final NetClient net;
  private final String host;
  private final int port;
  private final int max;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private final List<Connection> all = new ArrayList<>();
  private final Vertx vertx;
  private Context context;
  private int opening;

  /** One request and the promise of its response body. */
  private record Exchange(Buffer request, String what, Promise<Buffer> response) {
  }

  KeepAliveClient(Vertx vertx, String host, int port, int connections) {
    this.vertx = vertx;
    this.net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    this.host = host;
    this.port = port;
    this.max = connections;
  }

  /** @return the response body of {@code method path}, failed unless the status is 2xx */
  Future<Buffer> call(HttpMethod method, String path, Buffer body, String contentType) {
    StringBuilder head = new StringBuilder(128).append(method.name()).append(' ').append(path)
      .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("Content-Length: ").append(body == null ? 0 : body.length()).append("\r\n\r\n");
    Buffer request = Buffer.buffer(head.length() + (body == null ? 0 : body.length()))
      .appendString(head.toString(), "ISO-8859-1");
    if (body != null) {
      request.appendBuffer(body);
    }
    Context current = Vertx.currentContext();
    Context home = context(current);
    Promise<Buffer> promise = current == null ? Promise.promise() : ((ContextInternal) current).promise();
    Exchange exchange = new Exchange(request, method + " " + path, promise);
    if (current == home) {
      submit(exchange);
    } else {
      home.runOnContext(v -> submit(exchange));
    }
    return promise.future();
  }

  /** @return the context the connections live on: that of the first call made on a Vert.x context */
  synchronized Context context(Context current) {
    if (context == null) {
      context = current != null ? current : vertx.getOrCreateContext();
    }
    return context;
  }

  private void submit(Exchange exchange) {
    Connection c = idle.poll();
    if (c != null) {
      c.send(exchange);
      return;
    }
    waiting.add(exchange);
    if (all.size() + opening < max) {
      opening++;
      net.connect(port, host).onComplete(ar -> {
        opening--;
        if (ar.failed()) {
          // With no connection left to serve them, every waiting request fails, not just the first.
          for (Exchange e = waiting.poll(); e != null; e = all.isEmpty() && opening == 0 ? waiting.poll() : null) {
            e.response.tryFail(ar.cause());
          }
          return;
        }
        Connection conn = new Connection(ar.result());
        all.add(conn);
        conn.ready();
      });
    }
  }

  Future<Void> close() {
    return net.close();
  }

  /** One keep-alive connection: sends an exchange, reads its response, then takes the next one waiting. */
  private final class Connection {
    private final NetSocket socket;
    private Buffer in = Buffer.buffer();
    private Exchange current;
    private int status;
    private int bodyStart = -1;
    private int length;
    private boolean closeAfter;

    Connection(NetSocket socket) {
      this.socket = socket;
      socket.handler(data -> {
        try {
          received(data);
        } catch (RuntimeException e) { // a response this client cannot read: fail it, drop the connection
          if (current != null) {
            current.response.tryFail(e);
            current = null;
          }
          socket.close();
        }
      });
      socket.closeHandler(v -> closed());
    }

    void ready() {
      Exchange next = waiting.poll();
      if (next == null) {
        idle.add(this);
      } else {
        send(next);
      }
    }

    void send(Exchange exchange) {
      current = exchange;
      socket.write(exchange.request);
      if (in.length() > 0) {
        process();
      }
    }

    private void received(Buffer chunk) {
      in = in.length() == 0 ? chunk : in.appendBuffer(chunk);
      process();
    }

    private void process() {
      if (current == null) {
        return; // bytes ahead of a request: kept for it
      }
      if (bodyStart < 0 && !parseHead()) {
        return;
      }
      if (in.length() < bodyStart + length) {
        return;
      }
      Buffer body = in.getBuffer(bodyStart, bodyStart + length);
      Buffer rest = in.length() > bodyStart + length ? in.getBuffer(bodyStart + length, in.length()) : Buffer.buffer();
      Exchange done = current;
      int code = status;
      current = null;
      bodyStart = -1;
      in = rest;
      if (code / 100 == 2) {
        done.response.tryComplete(body);
      } else {
        done.response.tryFail(done.what + " -> " + code + " " + body);
      }
      if (closeAfter) {
        socket.close();
      } else {
        ready();
      }
    }

    /** @return whether the head is complete; sets status, body start and length */
    private boolean parseHead() {
      int end = indexOf(in, HEAD_END);
      if (end < 0) {
        return false;
      }
      String head = in.getString(0, end, "ISO-8859-1");
      status = Integer.parseInt(head.substring(9, 12));
      length = 0;
      closeAfter = false;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          if (name.equals("content-length")) {
            length = Integer.parseInt(value);
          } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
            closeAfter = true;
          } else if (name.equals("transfer-encoding")) {
            throw new IllegalStateException("chunked responses are not supported here");
          }
        }
      }
      bodyStart = end + HEAD_END.length;
      return true;
    }

    private void closed() {
      all.remove(this);
      idle.remove(this);
      if (current != null) {
        current.response.tryFail(current.what + ": connection closed");
        current = null;
      }
      if (!waiting.isEmpty() && all.size() + opening < max) {
        Exchange next = waiting.poll();
        submit(next);
      }
    }
  }

  private static int indexOf(Buffer buf, byte[] needle) {
    int n = buf.length() - needle.length;
    outer:
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
