package dev.ferrymq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.FerryException;
import dev.ferrymq.MemoryAlarmException;
import dev.ferrymq.UnavailableException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/** Failures that reach clients say what happened in words, never a Java exception's class name. */
class FailuresTest {

  @Test
  void anUnexpectedFailureKeepsItsMessageButNotItsClassName() {
    FerryException f = Failures.fromReply(new IllegalStateException("Hazelcast instance is not active!"));
    assertThat(f).isInstanceOf(UnavailableException.class);
    assertThat(f.getMessage()).isEqualTo("Hazelcast instance is not active!").doesNotContain("java.lang");
  }

  @Test
  void aFailureWithoutAMessageSaysWhereToLook() {
    assertThat(Failures.fromReply(new NullPointerException()).getMessage())
      .isEqualTo("an internal error (the node's log has it)");
    assertThat(Failures.reason(new RuntimeException(" "))).doesNotContain("RuntimeException");
  }

  @Test
  void anOwnersAnswerKeepsItsTypeAcrossTheBus() {
    ReplyException r = Failures.asReply(new MemoryAlarmException("full"));
    assertThat(r.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(Failures.fromReply(r)).isInstanceOf(MemoryAlarmException.class).hasMessage("full");
    ReplyException moved = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 421, "moved");
    assertThat(Failures.asReply(moved)).isSameAs(moved);
  }
}
