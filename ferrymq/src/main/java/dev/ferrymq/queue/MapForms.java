package dev.ferrymq.queue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys ({@code <seq>@<queue>}) and values ({@link StoredValue}) of one queue's map, handed to Hazelcast already in
 * its serialized form. Hazelcast takes a {@code Data} as it is, so this skips, per message, its serializer lookup, a
 * pooled-buffer round trip, two copies of the value and the serialization and hashing of the partition key (all
 * keys of a queue share its partition hash, computed once). The bytes are exactly Hazelcast's own: that is checked
 * once against its serializer, and on any difference this falls back to plain {@code String} and {@code byte[]}.
 */
final class MapForms {

  private static final Logger LOG = LoggerFactory.getLogger(MapForms.class);
  private static final int STRING_TYPE = -11;
  private static final int BYTE_ARRAY_TYPE = -12;

  private final String suffix;
  private final int partitionHash;
  private final ByteOrder order;
  private final boolean direct;

  MapForms(HazelcastInstance hazelcast, String queue) {
    this.suffix = "@" + queue;
    int hash = 0;
    ByteOrder byteOrder = ByteOrder.BIG_ENDIAN; // Hazelcast's default; a configured other one fails the check below
    boolean same = false;
    try {
      SerializationService ss = ((SerializationServiceSupport) hazelcast).getSerializationService();
      long seq = 1L << 32 | 7;
      byte[] sample = ss.toData(plainKey(seq), new StringPartitioningStrategy()).toByteArray();
      hash = ByteBuffer.wrap(sample).getInt(0);
      QueueState.Entry entry = new QueueState.Entry(seq, new byte[] {1, 2, 3}, 2, 5, 9);
      same = Arrays.equals(key(seq, hash, byteOrder), sample)
        && Arrays.equals(value(entry, byteOrder), ss.toData(StoredValue.of(entry)).toByteArray());
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("queue {}: cannot prepare Hazelcast's serialized forms", queue, e);
    }
    if (!same) {
      LOG.info("queue {}: Hazelcast's serialized forms are not the expected ones; using plain keys and values", queue);
    }
    this.partitionHash = hash;
    this.order = byteOrder;
    this.direct = same;
  }

  private String plainKey(long seq) {
    return seq + suffix;
  }

  /** [partition hash][String type id][length][UTF-8], as Hazelcast serializes a String key. */
  private byte[] key(long seq, int hash, ByteOrder byteOrder) {
    byte[] text = plainKey(seq).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + text.length).putInt(hash).putInt(STRING_TYPE).order(byteOrder)
      .putInt(text.length).put(text).array();
  }

  /** [0][byte[] type id][length][{@link StoredValue}], as Hazelcast serializes a {@code byte[]}. */
  private static byte[] value(QueueState.Entry e, ByteOrder byteOrder) {
    int length = StoredValue.HEADER + e.envelope.length;
    return ByteBuffer.allocate(12 + length).putInt(0).putInt(BYTE_ARRAY_TYPE).order(byteOrder).putInt(length)
      .order(ByteOrder.BIG_ENDIAN).putInt(e.deliveryCount).putLong(e.dueAt).putLong(e.expiresAt).put(e.envelope)
      .array();
  }

  /** @return the map key of message {@code seq} */
  Object key(long seq) {
    return direct ? new HashedData(key(seq, partitionHash, order)) : plainKey(seq);
  }

  /** @return the map value of {@code e} */
  Object value(QueueState.Entry e) {
    return direct ? new HeapData(value(e, order)) : StoredValue.of(e);
  }

  /**
   * A serialized key that computes its hash once: {@link HeapData} hashes its bytes on every call, and a message's key
   * is hashed some six times on its way (the batch's map, the record store's put, get and remove, its metadata).
   * Equal to, and with the same hash as, the plain {@link HeapData} of the same bytes.
   */
  static final class HashedData extends HeapData {
    private final int hash;

    HashedData(byte[] payload) {
      super(payload);
      this.hash = super.hashCode();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
