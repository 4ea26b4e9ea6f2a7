package dev.ferrymq.queue;

import dev.ferrymq.Overflow;
import dev.ferrymq.QueueFullException;
import dev.ferrymq.QueueOptions;
import dev.ferrymq.queue.QueueState.Entry;
import java.util.function.Supplier;

/** A queue's {@code maxLength} and {@code maxBytes}, and its overflow policy for a send beyond them. */
final class Limits {

  /** Most messages being moved out at once to make room; beyond it sends are refused until the moves are done. */
  static final int MAX_MAKING_ROOM = 1000;

  private final String name;
  private final QueueState state;
  private final DeadLetters deadLetters;
  private final Supplier<QueueOptions> options;
  private Pager pager;

  Limits(String name, QueueState state, DeadLetters deadLetters, Supplier<QueueOptions> options) {
    this.name = name;
    this.state = state;
    this.deadLetters = deadLetters;
    this.options = options;
  }

  /** Counts the messages {@code pager} holds out of memory too. */
  void paging(Pager pager) {
    this.pager = pager;
  }

  /**
   * Makes room for a send of {@code bytes} when the queue is at a limit and its policy is to dead-letter the oldest,
   * or refuses it.
   *
   * @param unconfirmed sends accepted but not yet confirmed (held, not yet in the state's counts of messages)
   * @throws QueueFullException when the send is beyond a limit and no room is made
   */
  void admit(int bytes, int unconfirmed) {
    QueueOptions o = options.get();
    int maxLength = o.getMaxLength();
    long maxBytes = o.getMaxBytes();
    if (maxLength == 0 && maxBytes == 0) {
      return;
    }
    if (maxBytes > 0 && bytes > maxBytes) {
      throw new QueueFullException("a message of " + bytes + " bytes can never fit in queue '" + name + "' (maxBytes "
        + maxBytes + ")");
    }
    // Messages already on their way out to make room count as gone: their moves are under way.
    boolean makeRoom = o.getOverflow() == Overflow.DEAD_LETTER_OLDEST && o.deadLetterQueueOf(name) != null;
    while (true) {
      long count = state.size() + unconfirmed - (makeRoom ? state.moving.size() : 0)
        + (pager == null ? 0 : pager.paged());
      long held = state.bytes - (makeRoom ? state.movingBytes : 0) + (pager == null ? 0 : pager.pagedBytes());
      boolean overLength = maxLength > 0 && count + 1 > maxLength;
      boolean overBytes = maxBytes > 0 && held + bytes > maxBytes;
      if (!overLength && !overBytes) {
        return;
      }
      if (!makeRoom || state.ready.isEmpty() || state.moving.size() >= MAX_MAKING_ROOM) {
        throw full(overLength ? "maxLength " + maxLength : "maxBytes " + maxBytes, o, makeRoom);
      }
      Entry oldest = state.ready.pollFirstEntry().getValue();
      deadLetters.deadLetter(oldest, "overflow");
    }
  }

  private QueueFullException full(String limit, QueueOptions o, boolean makeRoom) {
    String why = "queue '" + name + "' is full (" + limit + ")";
    if (o.getOverflow() == Overflow.DEAD_LETTER_OLDEST) {
      why += makeRoom ? "; none of its messages is ready to be dead-lettered to make room"
        : "; it has no dead-letter queue to move its oldest messages to";
    }
    return new QueueFullException(why);
  }
}
