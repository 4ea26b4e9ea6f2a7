package dev.ferrymq.queue;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Replaces an entry's value only if the entry still exists, atomically on its partition. */
final class UpdateEntry implements EntryProcessor<String, byte[], Boolean> {

  private static final long serialVersionUID = 1L;
  private final byte[] value;

  UpdateEntry(byte[] value) {
    this.value = value;
  }

  @Override
  public Boolean process(Map.Entry<String, byte[]> entry) {
    if (entry.getValue() == null) {
      return false;
    }
    entry.setValue(value);
    return true;
  }
}
