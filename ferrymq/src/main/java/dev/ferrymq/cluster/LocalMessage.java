package dev.ferrymq.cluster;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * A call to an owner on this node, and its reply, in the shape of an event-bus {@link Message}: owners handle local
 * and remote calls alike, without the event bus's copies, reply registrations and timeout timers for local ones.
 */
final class LocalMessage<T> implements Message<T> {

  private final String address;
  private MultiMap headers;
  private final T body;
  private final Promise<Message<Object>> reply;

  LocalMessage(String address, MultiMap headers, T body, Promise<Message<Object>> reply) {
    this.address = address;
    this.headers = headers;
    this.body = body;
    this.reply = reply;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public MultiMap headers() {
    if (headers == null) { // most replies have none: made only when asked for
      headers = MultiMap.caseInsensitiveMultiMap();
    }
    return headers;
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public String replyAddress() {
    return null;
  }

  @Override
  public boolean isSend() {
    return true;
  }

  @Override
  public void reply(Object message, DeliveryOptions options) {
    if (reply == null) {
      return;
    }
    if (message instanceof ReplyException failure) {
      reply.tryFail(failure);
    } else {
      reply.tryComplete(new LocalMessage<>(address, options.getHeaders(), message, null));
    }
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    throw new UnsupportedOperationException("owners do not request replies to replies");
  }
}
