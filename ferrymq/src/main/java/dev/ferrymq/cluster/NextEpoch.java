package dev.ferrymq.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Takes the next owner epoch of a queue or topic, atomically on its partition: above both the last and {@code min}. After the
 * first, epochs advance by a random step, so that the two sides of a split brain, each taking epochs for the same
 * queue, are unlikely to number messages alike (their maps are merged by key afterwards).
 */
public final class NextEpoch implements EntryProcessor<String, Long, Long> {

  private static final long serialVersionUID = 1L;
  private final long min;
  // Chosen by the caller, not in process(): the backup replays this processor and must reach the same value.
  private final int step = 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1024);

  /** @param min the epoch must be above this too (the highest a full restart's journals had) */
  public NextEpoch(long min) {
    this.min = min;
  }

  @Override
  public Long process(Map.Entry<String, Long> entry) {
    Long last = entry.getValue();
    long next = last == null && min == 0 ? 1 : Math.max(last == null ? 0 : last, min) + step;
    entry.setValue(next);
    return next;
  }
}
