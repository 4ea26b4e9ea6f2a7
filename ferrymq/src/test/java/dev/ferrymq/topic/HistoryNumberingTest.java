package dev.ferrymq.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.spi.StoredMessage;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** History reloaded after a full restart keeps the numbers it was confirmed with, or stays out: never renumbered. */
class HistoryNumberingTest {

  private static List<StoredMessage> rows(long... seqs) {
    return LongStream.of(seqs).mapToObj(s -> StoredMessage.of(s, new byte[] {(byte) s})).toList();
  }

  @Test
  void consecutiveHistoryEndingAtTheLastSeqComesBackWhole() {
    assertThat(TopicOwner.numberedAsConfirmed(rows(3, 4, 5, 6), 6)).extracting(StoredMessage::seq)
      .containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void onlyWhatFollowsTheLastHoleComesBack() {
    assertThat(TopicOwner.numberedAsConfirmed(rows(1, 2, 4, 5, 7, 8, 9), 9)).extracting(StoredMessage::seq)
      .containsExactly(7L, 8L, 9L);
  }

  @Test
  void historyThatDoesNotReachTheLastSeqStaysOut() {
    assertThat(TopicOwner.numberedAsConfirmed(rows(1, 2, 3), 5)).isEmpty();
    assertThat(TopicOwner.numberedAsConfirmed(rows(), 5)).isEmpty();
  }
}
