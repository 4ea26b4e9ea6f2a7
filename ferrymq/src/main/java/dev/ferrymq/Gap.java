package dev.ferrymq;

/**
 * Told to a subscriber first when history no longer reaches its starting point.
 *
 * @param requested the first sequence number the subscriber asked for
 * @param oldest the oldest sequence number still in history, where delivery resumes
 */
public record Gap(long requested, long oldest) {
}
