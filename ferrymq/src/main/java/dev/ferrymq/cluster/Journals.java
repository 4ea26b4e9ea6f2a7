package dev.ferrymq.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.ferrymq.UnavailableException;
import dev.ferrymq.spi.MessageStore.Kind;
import dev.ferrymq.spi.MessageStore;
import dev.ferrymq.spi.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's journal when its store is its own (not shared): each owner keeps what it owns there, a new owner first
 * writes a snapshot tagged with its epoch, and after a full restart (every member gone, Hazelcast empty) a destination
 * is recovered from the member whose journal has the highest epoch — its last owner's. This class is the node's side
 * of that: it records the cluster size it sees, so that a restarted node knows how many members to wait for, answers
 * other members' questions about its journal, and does the recovery.
 */
public final class Journals {

  /** Target of journal questions at a node's endpoint. */
  static final String TARGET = "journal";

  private static final Logger LOG = LoggerFactory.getLogger(Journals.class);
  private static final String MEMBERS = "members";
  private static final String CLUSTER = "cluster";
  private static final long ASK_TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final MessageStore store;
  /** The cluster size this node recorded before it (re)started: the members a full restart waits for. */
  private volatile int recorded;
  /** What is recorded stays at least this until the cluster is back to that size. */
  private volatile int floor;
  private UUID listener;

  /** A destination as its best journal holds it: that journal's epoch, a topic's last seq, and the messages. */
  public record Recovered(long epoch, long lastSeq, List<StoredMessage> messages) {
  }

  private Journals(Vertx vertx, HazelcastInstance hazelcast, MessageStore store) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.store = store;
  }

  /** @return the journals of a node with {@code store}, or {@code null} when it has none of its own (none, or shared) */
  public static Journals of(Vertx vertx, HazelcastInstance hazelcast, MessageStore store) {
    return store == null || store.shared() ? null : new Journals(vertx, hazelcast, store);
  }

  /**
   * Checks that the journal belongs to this cluster (a journal of another cluster is refused, never mixed in), reads
   * the cluster size recorded before this start, then records the sizes it sees from now on.
   */
  public Future<Void> start() {
    String cluster = hazelcast.getConfig().getClusterName();
    return store.loadOptions(Kind.NODE).compose(records -> {
      String owner = records.get(CLUSTER);
      if (owner != null && !owner.equals(cluster)) {
        return Future.failedFuture(new IllegalStateException("the store's journal belongs to cluster '" + owner
          + "', but this node joins cluster '" + cluster + "': refusing to start rather than mix their messages"
          + " (give this node its own data directory, or set the cluster name back)"));
      }
      return owner != null ? Future.succeededFuture(records)
        : store.saveOptions(Kind.NODE, CLUSTER, cluster).map(records);
    }).compose(records -> {
      recorded = parse(records.get(MEMBERS));
      floor = recorded;
      listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          record();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          record();
        }
      });
      return record();
    });
  }

  private Future<Void> record() {
    try {
      int now = hazelcast.getCluster().getMembers().size();
      if (now >= floor) {
        floor = 0; // the cluster is whole again: from now on the record follows it
      }
      return store.saveOptions(Kind.NODE, MEMBERS, Integer.toString(Math.max(now, floor)));
    } catch (RuntimeException e) { // Hazelcast shutting down
      return Future.succeededFuture();
    }
  }

  /** Stops recording. */
  public void stop() {
    if (listener != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(listener);
      } catch (RuntimeException e) {
        LOG.debug("membership listener not removed: {}", e.toString());
      }
    }
  }

  /** Answers a member's question about this node's journal: {@code {"op":"epoch"|"load","kind","name","limit"}}. */
  void answer(Message<Object> msg) {
    JsonObject q = (JsonObject) msg.body();
    Kind kind = Kind.valueOf(q.getString("kind"));
    String name = q.getString("name");
    Future<?> answer;
    if ("epoch".equals(q.getString("op"))) {
      answer = store.epoch(kind, name).map(epoch -> new JsonObject().put("epoch", epoch).put("members", recorded));
    } else if (kind == Kind.QUEUE) {
      answer = Future.all(store.epoch(kind, name), store.loadQueue(name))
        .map(all -> encode(all.resultAt(0), 0, all.resultAt(1)));
    } else {
      answer = Future.all(store.epoch(kind, name), store.lastTopicSeq(name),
        store.loadTopic(name, q.getInteger("limit", 0))).map(all -> encode(all.resultAt(0), all.resultAt(1),
        all.resultAt(2)));
    }
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(503, "journal not readable: " + ar.cause().getMessage());
      }
    });
  }

  /**
   * Recovers {@code name} after a full restart from the journal with the highest epoch among the members, once as
   * many members are present as any of them last saw (its last owner is then among them). Fails with
   * {@link UnavailableException} while members are missing; the caller retries.
   *
   * @param limit for a topic, the most history to bring back (its capacity)
   */
  public Future<Recovered> recover(Kind kind, String name, int limit) {
    List<Member> members = new ArrayList<>(hazelcast.getCluster().getMembers());
    List<Future<JsonObject>> answers = new ArrayList<>();
    JsonObject question = new JsonObject().put("op", "epoch").put("kind", kind.name()).put("name", name);
    for (Member m : members) {
      answers.add(ask(m, question).map(r -> (JsonObject) r.body()));
    }
    return Future.all(answers).recover(e -> Future.failedFuture(new UnavailableException(
      "cannot recover " + kind.name().toLowerCase() + " '" + name + "': a member's journal did not answer ("
        + e.getMessage() + ")"))).compose(all -> {
      int required = 0;
      int best = -1;
      long bestEpoch = 0;
      String self = HazelcastSupport.nodeId(hazelcast.getCluster().getLocalMember());
      for (int i = 0; i < members.size(); i++) {
        JsonObject a = answers.get(i).result();
        required = Math.max(required, a.getInteger("members", 0));
        long epoch = a.getLong("epoch", 0L);
        boolean mine = HazelcastSupport.nodeId(members.get(i)).equals(self);
        if (epoch > bestEpoch || (epoch == bestEpoch && epoch > 0 && mine)) {
          bestEpoch = epoch;
          best = i;
        }
      }
      if (members.size() < required) {
        return Future.failedFuture(new UnavailableException("waiting for " + (required - members.size())
          + " more member(s) to recover " + kind.name().toLowerCase() + " '" + name + "' from their journals: "
          + required + " members were in the cluster before it stopped"));
      }
      if (best < 0) {
        return Future.succeededFuture(new Recovered(0, 0, List.of()));
      }
      long epoch = bestEpoch;
      Member from = members.get(best);
      return ask(from, question.copy().put("op", "load").put("limit", limit)).map(r -> decode((Buffer) r.body()))
        .onSuccess(r -> LOG.info("{} {}: recovered {} messages from the journal of member {} (epoch {})",
          kind.name().toLowerCase(), name, r.messages().size(), from.getAddress(), epoch));
    });
  }

  private Future<Message<Object>> ask(Member m, JsonObject question) {
    return vertx.eventBus().request(NodeEndpoint.address(HazelcastSupport.nodeId(m)), question,
      new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS).addHeader(NodeEndpoint.TO, TARGET));
  }

  private static Buffer encode(long epoch, long lastSeq, List<StoredMessage> messages) {
    int size = 24;
    for (StoredMessage m : messages) {
      size += 24 + m.envelope().length;
    }
    Buffer out = Buffer.buffer(size).appendLong(epoch).appendLong(lastSeq).appendInt(messages.size());
    for (StoredMessage m : messages) {
      out.appendLong(m.seq()).appendInt(m.deliveryCount()).appendLong(m.dueAt()).appendInt(m.envelope().length)
        .appendBytes(m.envelope());
    }
    return out;
  }

  private static Recovered decode(Buffer in) {
    int pos = 0;
    long epoch = in.getLong(pos);
    long lastSeq = in.getLong(pos + 8);
    int n = in.getInt(pos + 16);
    pos += 20;
    List<StoredMessage> messages = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long seq = in.getLong(pos);
      int deliveryCount = in.getInt(pos + 8);
      long dueAt = in.getLong(pos + 12);
      int len = in.getInt(pos + 20);
      messages.add(new StoredMessage(seq, in.getBytes(pos + 24, pos + 24 + len), deliveryCount, dueAt));
      pos += 24 + len;
    }
    return new Recovered(epoch, lastSeq, messages);
  }

  private static int parse(String text) {
    try {
      return text == null ? 0 : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
