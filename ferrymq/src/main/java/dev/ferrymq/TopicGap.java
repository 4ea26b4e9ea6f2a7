package dev.ferrymq;

/**
 * A {@link Gap} in one of the topics of a {@link PatternSubscription}: history of {@code topic} no longer reaches the
 * position the subscription asked for (or the topic was deleted and numbers from 1 again).
 *
 * @param topic the topic
 * @param requested the first sequence number asked for
 * @param oldest the oldest sequence number still in history, where delivery of that topic resumes
 */
public record TopicGap(String topic, long requested, long oldest) {
}
