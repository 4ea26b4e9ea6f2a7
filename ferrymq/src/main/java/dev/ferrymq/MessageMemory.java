package dev.ferrymq;

import io.vertx.core.json.JsonObject;

/**
 * How much of this node's memory its queues' messages take, against the high watermark above which queue sends are
 * refused with {@link MemoryAlarmException}.
 *
 * @param heldBytes heap taken by the messages the queues owned by this node hold (ready, delayed, in flight, not yet
 *   confirmed): about twice their envelopes (the owner's copy and the replicated map's) plus some 350 bytes each
 * @param highWatermarkBytes above this the alarm goes on ({@link BrokerOptions#getMemoryHighWatermark()} of the heap)
 * @param alarm whether the alarm is on: sends are refused until the held bytes fall below 90% of the watermark
 */
public record MessageMemory(long heldBytes, long highWatermarkBytes, boolean alarm) {

  /** @return the JSON form {@code {"alarm","heldBytes","highWatermarkBytes"}} */
  public JsonObject toJson() {
    return new JsonObject().put("alarm", alarm).put("heldBytes", heldBytes)
      .put("highWatermarkBytes", highWatermarkBytes);
  }
}
