package dev.ferrymq.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.broker.BrokerImpl;
import dev.ferrymq.cluster.HazelcastSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys and values written in Hazelcast's serialized form read back as the plain ones, in the queue's partition. */
class MapFormsTest extends BrokerTestBase {

  @Test
  void formsAreHazelcastsOwn() {
    HazelcastInstance hz = ((BrokerImpl) broker).hazelcast();
    String queue = "forms-q";
    MapForms forms = new MapForms(hz, queue);
    long seq = (3L << 32) + 42;
    QueueState.Entry e = new QueueState.Entry(seq, new byte[] {7, 8, 9}, 2, 1234, 5678);
    Object key = forms.key(seq);
    assertThat(key).isInstanceOf(Data.class); // the fast path is taken with this Hazelcast
    Data own = ((SerializationServiceSupport) hz).getSerializationService()
      .toData(seq + "@" + queue, new StringPartitioningStrategy());
    assertThat(key).isEqualTo(own).hasSameHashCodeAs(own); // its cached hash is Hazelcast's
    assertThat(own).isEqualTo(key);

    IMap<Object, Object> map = hz.getMap(HazelcastSupport.QUEUE_MAP_PREFIX + queue);
    map.setAll(Map.of(key, forms.value(e)));
    assertThat((byte[]) map.get(seq + "@" + queue)).isEqualTo(StoredValue.of(e));
    assertThat(map.keySet()).containsExactly(seq + "@" + queue);
    assertThat(hz.getPartitionService().getPartition(key).getPartitionId())
      .isEqualTo(hz.getPartitionService().getPartition(queue).getPartitionId());
    map.submitToKey(forms.key(seq), (com.hazelcast.map.EntryProcessor<Object, Object, Boolean>)
      (com.hazelcast.map.EntryProcessor) DeleteEntry.INSTANCE).toCompletableFuture().join();
    assertThat(map.isEmpty()).isTrue();
  }
}
