package dev.ferrymq.queue;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import java.util.Map;

/** Removes an entry on its partition; used to delete a batch of acked messages in one call. Answers nothing. */
final class DeleteEntry implements EntryProcessor<String, byte[], Boolean> {

  static final DeleteEntry INSTANCE = new DeleteEntry();
  private static final long serialVersionUID = 1L;

  @Override
  public Boolean process(Map.Entry<String, byte[]> entry) {
    // Removes it. setValue(null) would first deserialize (copy) the old value only to return it; Hazelcast's own
    // entry can remove without that.
    if (entry instanceof LazyMapEntry<?, ?> lazy) {
      lazy.remove();
    } else {
      entry.setValue(null);
    }
    return null;
  }
}
