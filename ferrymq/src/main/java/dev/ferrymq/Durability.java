package dev.ferrymq;

/** How far a queue's or topic's messages are kept. */
public enum Durability {
  /** Replicated in the cluster's memory only: survives the loss of a node, not of the whole cluster. */
  MEMORY,
  /** Also written to the store behind the confirm (write-behind): a short loss window on total loss. */
  ASYNC,
  /** Confirmed only after the store commit: survives a full restart. The default. */
  SYNC
}
