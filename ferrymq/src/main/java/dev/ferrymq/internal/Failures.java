package dev.ferrymq.internal;

import dev.ferrymq.ConflictException;
import dev.ferrymq.FerryException;
import dev.ferrymq.HandlerFailureException;
import dev.ferrymq.InvalidRequestException;
import dev.ferrymq.LeaseExpiredException;
import dev.ferrymq.LeaseNotFoundException;
import dev.ferrymq.MemoryAlarmException;
import dev.ferrymq.NoHandlerException;
import dev.ferrymq.QueueFullException;
import dev.ferrymq.RequestTimeoutException;
import dev.ferrymq.UnavailableException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Carries {@link FerryException}s across the event bus: an owner fails a message with the failure code of the
 * exception, and the caller turns the {@link ReplyException} back into the same type.
 */
public final class Failures {

  /** The event-bus failure code of {@link MemoryAlarmException}: a 503 that must keep its type across the bus. */
  static final int MEMORY_ALARM = 5031;

  private Failures() {
  }

  /** Answers {@code msg} with the failure {@code t}; a failure an owner answered keeps its code ("moved" too). */
  public static void reply(Message<?> msg, Throwable t) {
    ReplyException r = asReply(t);
    msg.fail(r.failureCode(), r.getMessage());
  }

  /** @return {@code t} as the failure an owner answers a caller with: its code ("moved" too) and its message */
  public static ReplyException asReply(Throwable t) {
    if (t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return r;
    }
    FerryException f = fromReply(t);
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, codeOf(f),
      f.getMessage() == null ? f.toString() : f.getMessage());
  }

  static int codeOf(Throwable t) {
    if (t instanceof MemoryAlarmException) {
      return MEMORY_ALARM;
    }
    return t instanceof FerryException f ? f.status() : 503;
  }

  /** @return {@code t} as the {@link FerryException} an owner meant, or an {@link UnavailableException} */
  public static FerryException fromReply(Throwable t) {
    if (t instanceof FerryException f) {
      return f;
    }
    if (t instanceof ReplyException r) {
      String m = r.getMessage();
      switch (r.failureType()) {
        case TIMEOUT:
          return new UnavailableException("the owner did not answer in time: " + m);
        case NO_HANDLERS:
          return new UnavailableException("no owner is serving this destination now: " + m);
        default:
          return switch (r.failureCode()) {
            case 400 -> new InvalidRequestException(m);
            case 404 -> new LeaseNotFoundException(m);
            case 409 -> new ConflictException(m);
            case 410 -> new LeaseExpiredException(m);
            case 429 -> new QueueFullException(m);
            case MEMORY_ALARM -> new MemoryAlarmException(m);
            default -> new UnavailableException(m);
          };
      }
    }
    return new UnavailableException(reason(t));
  }

  /**
   * @return why {@code t} happened, in words fit for a client: its message, without the exception's class name
   *     (which {@code toString()} puts first)
   */
  public static String reason(Throwable t) {
    String m = t == null ? null : t.getMessage();
    return m == null || m.isBlank() ? "an internal error (the node's log has it)" : m;
  }

  /** @return a request's failure as the typed exception of request/reply */
  public static FerryException fromRequest(Throwable t, String address) {
    if (t instanceof ReplyException r) {
      return switch (r.failureType()) {
        case TIMEOUT -> new RequestTimeoutException("no reply from '" + address + "' in time");
        case NO_HANDLERS -> new NoHandlerException("nobody listens on '" + address + "'");
        default -> new HandlerFailureException("the handler of '" + address + "' failed: " + r.getMessage());
      };
    }
    return fromReply(t);
  }
}
