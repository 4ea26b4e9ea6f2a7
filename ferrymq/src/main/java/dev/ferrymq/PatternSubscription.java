package dev.ferrymq;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * A live subscription to every topic that matches one of its {@link TopicPattern}s, those created later included.
 * Obtained with {@link Broker#subscribe(List, SubscribeOptions, io.vertx.core.Handler, io.vertx.core.Handler)}.
 */
public interface PatternSubscription {

  /** @return the patterns, as given */
  List<TopicPattern> patterns();

  /**
   * @return for each topic followed so far, the sequence number of the last message handed to the handler (or where
   *     the topic started, when none yet), sorted by topic name: what {@link SubscribeOptions#setPositions} takes to
   *     resume
   */
  Map<String, Long> positions();

  /** Stops following every topic. */
  Future<Void> close();
}
