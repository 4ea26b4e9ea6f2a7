package dev.ferrymq.queue;

import dev.ferrymq.LeaseExpiredException;
import dev.ferrymq.LeaseNotFoundException;
import dev.ferrymq.cluster.MemoryAccount;
import dev.ferrymq.internal.Envelope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The in-memory state of one queue, touched only by its owner's context: ready messages in sequence order, delayed
 * ones, leases and consumers. It decides nothing about storage; the owner writes the replicated copy.
 */
final class QueueState {

  /** A message held by the queue. */
  static final class Entry {
    final long seq;
    final byte[] envelope;
    final long expiresAt;
    int deliveryCount;
    long dueAt;

    Entry(long seq, byte[] envelope, int deliveryCount, long dueAt, long expiresAt) {
      this.seq = seq;
      this.envelope = envelope;
      this.deliveryCount = deliveryCount;
      this.dueAt = dueAt;
      this.expiresAt = expiresAt;
    }

    boolean expired(long now) {
      return expiresAt != 0 && expiresAt <= now;
    }
  }

  /** A message leased to a consumer (or a pull) until {@code expiresAt}. */
  record Lease(String id, Entry entry, String consumerId, long expiresAt) {
  }

  /**
   * A push consumer and how many of its deliveries are unsettled (auto-ack: handed over and not yet given back as
   * credit).
   */
  static final class Consumer {
    final String id;
    final String node;
    final String address;
    final int prefetch;
    final long visibilityMs;
    final boolean autoAck;
    int inFlight;
    long lastSeen;
    /** Auto-ack: the consumer's last reported total of deliveries taken (credit is cumulative, so none is lost). */
    long taken;

    Consumer(String id, String node, String address, int prefetch, long visibilityMs, boolean autoAck) {
      this.id = id;
      this.node = node;
      this.address = address;
      this.prefetch = prefetch;
      this.visibilityMs = visibilityMs;
      this.autoAck = autoAck;
    }
  }

  final TreeMap<Long, Entry> ready = new TreeMap<>();
  final PriorityQueue<Entry> delayed = new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.dueAt)
    .thenComparingLong(e -> e.seq));
  final Map<String, Lease> leases = new HashMap<>();
  final Map<String, Consumer> consumers = new LinkedHashMap<>();
  /** Messages between states (being dead-lettered or moved), still counted as held. */
  final Set<Long> moving = new HashSet<>();
  /** Auto-acked messages taken out of ready whose removal is not yet done. */
  int handingOver;
  /** Bytes of the envelopes held: from a send's acceptance (or a load) until the message is removed or moved out. */
  long bytes;
  /** The heap they take, as counted in the node's account ({@link MemoryAccount#cost}). */
  private long cost;
  /** Bytes of the messages in {@link #moving}. */
  long movingBytes;
  long nextSeq = 1;
  /** Messages taken in (sends and moves) since this owner started, for rates ({@code QueueStats.sent}). */
  long sent;
  /** Counted for the metrics, on the owner's context: deliveries, acks, redeliveries, dead letters. */
  long delivered;
  long acked;
  long redelivered;
  long deadLettered;
  private final MemoryAccount memory;
  private boolean released;
  private final List<Consumer> order = new ArrayList<>();
  private int next;
  private int manualAckConsumers;

  /** A state whose bytes count against an account of its own, with no watermark (for tests). */
  QueueState() {
    this(new MemoryAccount(Long.MAX_VALUE, "no limit"));
  }

  /** @param memory the node's account the bytes held count against */
  QueueState(MemoryAccount memory) {
    this.memory = memory;
  }

  /** Counts {@code e} as held in memory, here and (as the heap it takes) in the node's account: accepted or loaded. */
  void hold(Entry e) {
    if (!released) {
      bytes += e.envelope.length;
      long c = MemoryAccount.cost(e.envelope.length);
      cost += c;
      memory.add(c);
    }
  }

  /** Counts {@code e} as no longer held: it was removed, moved out, or its send failed. */
  void release(Entry e) {
    if (!released) {
      bytes -= e.envelope.length;
      long c = MemoryAccount.cost(e.envelope.length);
      cost -= c;
      memory.release(c);
    }
  }

  /** The owner stopped: all it held is given back to the node's account, and nothing more is counted. */
  void releaseAll() {
    if (!released) {
      released = true;
      memory.release(cost);
      bytes = 0;
      cost = 0;
    }
  }

  /** Puts {@code e} where it belongs at {@code now}: ready or delayed. */
  void add(Entry e, long now) {
    if (e.dueAt > now) {
      delayed.add(e);
    } else {
      ready.put(e.seq, e);
    }
  }

  /** @return how many messages the queue holds */
  int size() {
    return ready.size() + delayed.size() + leases.size() + moving.size() + handingOver;
  }

  /** @return the sequence numbers of every message held: ready, delayed, leased or being moved */
  Set<Long> heldSeqs() {
    Set<Long> held = new HashSet<>(ready.keySet());
    delayed.forEach(e -> held.add(e.seq));
    leases.values().forEach(l -> held.add(l.entry().seq));
    held.addAll(moving);
    return held;
  }

  /** Leases the first ready message; the caller checked there is one. */
  Lease lease(String consumerId, long visibilityMs, long now) {
    Entry e = ready.pollFirstEntry().getValue();
    e.deliveryCount++;
    delivered(e);
    Lease lease = new Lease(e.seq + "-" + e.deliveryCount, e, consumerId, now + visibilityMs);
    leases.put(lease.id(), lease);
    if (consumerId != null) {
      consumers.get(consumerId).inFlight++;
    }
    return lease;
  }

  /**
   * Takes the first ready message out for an auto-acked hand-over to {@code c} (or a pull when {@code null}); the
   * caller checked there is one, removes it and then calls {@link #handedOver}.
   */
  Entry take(Consumer c) {
    Entry e = ready.pollFirstEntry().getValue();
    e.deliveryCount++;
    delivered(e);
    handingOver++;
    if (c != null) {
      c.inFlight++;
    }
    return e;
  }

  /** Counts a delivery of {@code e}, whose count was just raised. */
  void delivered(Entry e) {
    delivered++;
    if (e.deliveryCount > 1) {
      redelivered++;
    }
  }

  /** @return when the oldest ready message was sent (epoch millis), or 0 when none is ready */
  long oldestReadyTimestamp() {
    Map.Entry<Long, Entry> first = ready.firstEntry();
    return first == null ? 0 : Envelope.readTimestamp(first.getValue().envelope);
  }

  /** Marks {@code n} taken messages as removed (or, when the removal failed, about to be put back). */
  void handedOver(int n) {
    handingOver -= n;
  }

  /** Gives an auto-ack consumer back what it took since its last report of {@code total} taken. */
  void credit(String consumerId, long total) {
    Consumer c = consumers.get(consumerId);
    if (c != null && total > c.taken) {
      c.inFlight = (int) Math.max(0, c.inFlight - (total - c.taken)); // a new owner starts counting at 0
      c.taken = total;
    }
  }

  /** Ends a lease. @throws LeaseNotFoundException or LeaseExpiredException when it is not held */
  Lease settle(String leaseId) {
    Lease lease = leases.remove(leaseId);
    if (lease == null) {
      throw unknown(leaseId);
    }
    Consumer c = lease.consumerId() == null ? null : consumers.get(lease.consumerId());
    if (c != null) {
      c.inFlight--;
    }
    return lease;
  }

  /** Restarts a lease's timeout. */
  void extend(String leaseId, long expiresAt) {
    Lease lease = leases.get(leaseId);
    if (lease == null) {
      throw unknown(leaseId);
    }
    leases.put(leaseId, new Lease(leaseId, lease.entry(), lease.consumerId(), expiresAt));
  }

  private RuntimeException unknown(String leaseId) {
    int dash = leaseId.indexOf('-');
    try {
      long seq = Long.parseLong(leaseId.substring(0, dash));
      int count = Integer.parseInt(leaseId.substring(dash + 1));
      if (seq > 1L << 32 && seq < nextSeq && count > 0) { // epochs start at 1
        return new LeaseExpiredException("lease " + leaseId + " is no longer held (expired, released or settled)");
      }
    } catch (RuntimeException ignored) {
      // not a lease id this queue could have issued
    }
    return new LeaseNotFoundException("no lease " + (leaseId.length() > 60 ? leaseId.substring(0, 60) : leaseId));
  }

  /** Removes and returns the leases that expired at {@code now}. */
  List<Lease> expired(long now) {
    List<Lease> out = null;
    for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
      Lease l = it.next();
      if (l.expiresAt() <= now) {
        it.remove();
        Consumer c = l.consumerId() == null ? null : consumers.get(l.consumerId());
        if (c != null) {
          c.inFlight--;
        }
        (out == null ? out = new ArrayList<>() : out).add(l);
      }
    }
    return out == null ? List.of() : out;
  }

  /** Moves delayed messages that are due at {@code now} to ready. */
  void promoteDue(long now) {
    while (!delayed.isEmpty() && delayed.peek().dueAt <= now) {
      Entry e = delayed.poll();
      ready.put(e.seq, e);
    }
  }

  /** Registers {@code c}, or marks it seen when it is registered already. */
  void upsertConsumer(Consumer c, long now) {
    Consumer known = consumers.get(c.id);
    if (known != null) {
      known.lastSeen = now;
      return;
    }
    c.lastSeen = now;
    consumers.put(c.id, c);
    order.add(c);
    if (!c.autoAck) {
      manualAckConsumers++;
    }
  }

  /** @return whether there are consumers and all of them are auto-ack */
  boolean onlyAutoAckConsumers() {
    return manualAckConsumers == 0 && !order.isEmpty();
  }

  /** @return the ids of consumers not seen since {@code since} */
  List<String> silentConsumers(long since) {
    List<String> out = new ArrayList<>();
    for (Consumer c : consumers.values()) {
      if (c.lastSeen - since < 0) {
        out.add(c.id);
      }
    }
    return out;
  }

  /** @return whether a consumer lives on a node other than {@code localNode} */
  boolean hasRemoteConsumers(String localNode) {
    for (Consumer c : consumers.values()) {
      if (!c.node.equals(localNode)) {
        return true;
      }
    }
    return false;
  }

  /** @return the ids of consumers whose node is not among {@code nodes} */
  List<String> consumersOutside(java.util.Set<String> nodes) {
    List<String> out = new ArrayList<>();
    for (Consumer c : consumers.values()) {
      if (!nodes.contains(c.node)) {
        out.add(c.id);
      }
    }
    return out;
  }

  /** Removes a consumer. @return its leases, now ended */
  List<Lease> removeConsumer(String id) {
    Consumer c = consumers.remove(id);
    if (c == null) {
      return List.of();
    }
    order.remove(c);
    if (!c.autoAck) {
      manualAckConsumers--;
    }
    List<Lease> out = new ArrayList<>();
    for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
      Lease l = it.next();
      if (id.equals(l.consumerId())) {
        it.remove();
        out.add(l);
      }
    }
    return out;
  }

  /** @return the next consumer, in turn, with room in its prefetch window, or {@code null} */
  Consumer nextWithCredit() {
    int n = order.size();
    for (int i = 0; i < n; i++) {
      Consumer c = order.get((next + i) % n);
      if (c.inFlight < c.prefetch) {
        next = (next + i + 1) % n;
        return c;
      }
    }
    return null;
  }
}
