package com.example.store;

import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A third party's store, written outside FerryMQ's packages: counts writes and keeps them in another store. */
final class CountingStore implements MessageStore {

  final AtomicInteger inserted = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  private final MessageStore inner;

  CountingStore(MessageStore inner) {
    this.inner = inner;
  }

  @Override
  public Future<Void> insertQueueMessages(String queue, List<StoredMessage> messages) {
    if (messages != null) {
      inserted.addAndGet(messages.size());
    }
    return inner.insertQueueMessages(queue, messages);
  }

  @Override
  public Future<Void> updateQueueMessage(String queue, long seq, int deliveryCount, long dueAt) {
    return inner.updateQueueMessage(queue, seq, deliveryCount, dueAt);
  }

  @Override
  public Future<Void> deleteQueueMessages(String queue, long[] seqs) {
    return inner.deleteQueueMessages(queue, seqs);
  }

  @Override
  public Future<List<StoredMessage>> loadQueue(String queue) {
    return inner.loadQueue(queue);
  }

  @Override
  public Future<Void> insertTopicMessages(String topic, List<StoredMessage> messages) {
    return inner.insertTopicMessages(topic, messages);
  }

  @Override
  public Future<List<StoredMessage>> loadTopic(String topic, int lastN) {
    return inner.loadTopic(topic, lastN);
  }

  @Override
  public Future<Long> lastTopicSeq(String topic) {
    return inner.lastTopicSeq(topic);
  }

  @Override
  public Future<Void> trimTopic(String topic, long keepFromSeq) {
    return inner.trimTopic(topic, keepFromSeq);
  }

  @Override
  public Future<Void> saveOptions(Kind kind, String name, String json) {
    return inner.saveOptions(kind, name, json);
  }

  @Override
  public Future<Map<String, String>> loadOptions(Kind kind) {
    return inner.loadOptions(kind);
  }

  @Override
  public Future<Void> delete(Kind kind, String name) {
    return inner.delete(kind, name);
  }

  @Override
  public Future<Void> replaceQueue(String queue, long epoch, List<StoredMessage> messages) {
    return inner.replaceQueue(queue, epoch, messages);
  }

  @Override
  public Future<Void> replaceTopic(String topic, long epoch, long lastSeq, List<StoredMessage> history) {
    return inner.replaceTopic(topic, epoch, lastSeq, history);
  }

  @Override
  public Future<Long> epoch(Kind kind, String name) {
    return inner.epoch(kind, name);
  }

  @Override
  public Future<Void> close() {
    closes.incrementAndGet();
    return inner.close();
  }
}
