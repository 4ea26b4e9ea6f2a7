package dev.ferrymq.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Sets a value unless one is there, atomically on its partition; returns the value in force. */
public final class PutIfAbsent<V> implements EntryProcessor<String, V, V> {

  private static final long serialVersionUID = 1L;
  private final V value;

  /** @param value the value to set when none is there */
  public PutIfAbsent(V value) {
    this.value = value;
  }

  @Override
  public V process(Map.Entry<String, V> entry) {
    if (entry.getValue() != null) {
      return entry.getValue();
    }
    entry.setValue(value);
    return value;
  }
}
