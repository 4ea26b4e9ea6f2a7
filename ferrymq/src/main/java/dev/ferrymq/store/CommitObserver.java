package dev.ferrymq.store;

/** Told of each group commit of a store's writer, on the writer's thread: keep it short (metrics). */
@FunctionalInterface
public interface CommitObserver {

  /** A transaction of {@code writes} writes committed in {@code nanos} (from its first statement to its commit). */
  void committed(int writes, long nanos);
}
