package dev.ferrymq.queue;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Takes the next owner epoch of a queue, atomically on its partition: one more than both the last and {@code min}. */
final class NextEpoch implements EntryProcessor<String, Long, Long> {

  private static final long serialVersionUID = 1L;
  private final long min;

  NextEpoch(long min) {
    this.min = min;
  }

  @Override
  public Long process(Map.Entry<String, Long> entry) {
    long next = Math.max(entry.getValue() == null ? 0 : entry.getValue(), min) + 1;
    entry.setValue(next);
    return next;
  }
}
