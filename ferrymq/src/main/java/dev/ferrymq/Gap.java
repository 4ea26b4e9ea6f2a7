package dev.ferrymq;

/**
 * Told to a subscriber first when history no longer reaches its starting point. Also told to the subscribers of a
 * topic that was deleted, with {@code oldest} 1 below {@code requested}: a topic of that name numbers from 1 again, and
 * the subscription follows it from there.
 *
 * @param requested the first sequence number the subscriber asked for
 * @param oldest the oldest sequence number still in history, where delivery resumes
 * @param partition the partition of a partitioned topic the gap is in (its sequence numbers), else -1
 */
public record Gap(long requested, long oldest, int partition) {

  /** A gap of a topic that is not partitioned. */
  public Gap(long requested, long oldest) {
    this(requested, oldest, -1);
  }
}
