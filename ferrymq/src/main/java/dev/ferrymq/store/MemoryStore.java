package dev.ferrymq.store;

import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A store in this JVM's memory, for tests and {@code memory} nodes: keeps data across owner restarts, not the JVM. */
final class MemoryStore implements MessageStore {

  private final Map<String, NavigableMap<Long, StoredMessage>> queues = new HashMap<>();
  private final Map<String, NavigableMap<Long, StoredMessage>> topics = new HashMap<>();
  private final Map<String, Long> topicSeqs = new HashMap<>();
  private final Map<Kind, Map<String, String>> options = new HashMap<>();
  private final Map<String, Long> epochs = new HashMap<>();
  private boolean closed;

  private <T> Future<T> done(T value) {
    return closed ? Future.failedFuture(new dev.ferrymq.UnavailableException("store closed"))
      : Future.succeededFuture(value);
  }

  @Override
  public synchronized Future<Void> insertQueueMessages(String queue, List<StoredMessage> messages) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> q = queues.computeIfAbsent(queue, k -> new TreeMap<>());
      messages.forEach(m -> q.put(m.seq(), m));
      return done(null);
    }, queue, messages);
  }

  @Override
  public synchronized Future<Void> updateQueueMessage(String queue, long seq, int deliveryCount, long dueAt) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> q = queues.get(queue);
      StoredMessage m = q == null ? null : q.get(seq);
      if (m != null) {
        q.put(seq, new StoredMessage(seq, m.envelope(), deliveryCount, dueAt));
      }
      return done(null);
    }, queue);
  }

  @Override
  public synchronized Future<Void> deleteQueueMessages(String queue, long[] seqs) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> q = queues.get(queue);
      if (q != null) {
        for (long seq : seqs) {
          q.remove(seq);
        }
      }
      return done(null);
    }, queue, seqs);
  }

  @Override
  public synchronized Future<List<StoredMessage>> loadQueue(String queue) {
    return done(new ArrayList<>(queues.getOrDefault(queue, new TreeMap<>()).values()));
  }

  @Override
  public synchronized Future<List<StoredMessage>> loadQueue(String queue, long afterSeq, int limit) {
    return done(queues.getOrDefault(queue, new TreeMap<>()).tailMap(afterSeq, false).values().stream()
      .limit(Math.max(0, limit)).toList());
  }

  @Override
  public synchronized Future<Void> deleteQueueRange(String queue, long fromSeq, long toSeq) {
    NavigableMap<Long, StoredMessage> q = queues.get(queue);
    if (q != null && fromSeq <= toSeq) {
      q.subMap(fromSeq, true, toSeq, true).clear();
    }
    return done(null);
  }

  @Override
  public synchronized Future<Void> insertTopicMessages(String topic, List<StoredMessage> messages) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> t = topics.computeIfAbsent(topic, k -> new TreeMap<>());
      messages.forEach(m -> t.put(m.seq(), m));
      messages.forEach(m -> topicSeqs.merge(topic, m.seq(), Math::max));
      return done(null);
    }, topic, messages);
  }

  @Override
  public synchronized Future<List<StoredMessage>> loadTopic(String topic, int lastN) {
    List<StoredMessage> all = new ArrayList<>(topics.getOrDefault(topic, new TreeMap<>()).values());
    return done(new ArrayList<>(all.subList(Math.max(0, all.size() - Math.max(0, lastN)), all.size())));
  }

  @Override
  public synchronized Future<Long> lastTopicSeq(String topic) {
    return done(topicSeqs.getOrDefault(topic, 0L));
  }

  @Override
  public synchronized Future<Void> trimTopic(String topic, long keepFromSeq) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> t = topics.get(topic);
      if (t != null) {
        t.headMap(keepFromSeq, false).clear();
      }
      return done(null);
    }, topic);
  }

  @Override
  public synchronized Future<Void> saveOptions(Kind kind, String name, String json) {
    return Args.checked(() -> {
      options.computeIfAbsent(kind, k -> new HashMap<>()).put(name, json);
      return done(null);
    }, kind, name, json);
  }

  @Override
  public synchronized Future<Map<String, String>> loadOptions(Kind kind) {
    return done(new HashMap<>(options.getOrDefault(kind, Map.of())));
  }

  @Override
  public synchronized Future<Void> replaceQueue(String queue, long epoch, List<StoredMessage> messages) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> q = new TreeMap<>();
      messages.forEach(m -> q.put(m.seq(), m));
      queues.put(queue, q);
      epochs.put(Kind.QUEUE + ":" + queue, epoch);
      return done(null);
    }, queue, messages);
  }

  @Override
  public synchronized Future<Void> replaceTopic(String topic, long epoch, long lastSeq, List<StoredMessage> history) {
    return Args.checked(() -> {
      NavigableMap<Long, StoredMessage> t = new TreeMap<>();
      history.forEach(m -> t.put(m.seq(), m));
      topics.put(topic, t);
      topicSeqs.put(topic, lastSeq);
      epochs.put(Kind.TOPIC + ":" + topic, epoch);
      return done(null);
    }, topic, history);
  }

  @Override
  public synchronized Future<Long> epoch(Kind kind, String name) {
    return Args.checked(() -> done(epochs.getOrDefault(kind + ":" + name, 0L)), kind, name);
  }

  @Override
  public synchronized Future<Void> delete(Kind kind, String name) {
    return Args.checked(() -> {
      if (kind == Kind.NODE) {
        options.getOrDefault(kind, new HashMap<>()).remove(name);
        return done(null);
      }
      epochs.remove(kind + ":" + name);
      (kind == Kind.QUEUE ? queues : topics).remove(name);
      if (kind == Kind.TOPIC) {
        topicSeqs.remove(name);
      }
      options.getOrDefault(kind, new HashMap<>()).remove(name);
      return done(null);
    }, kind, name);
  }

  @Override
  public synchronized Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }
}
