package dev.ferrymq.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Argument checks of the store methods: misuse is a failed future, not a throw. */
final class Args {

  private Args() {
  }

  /** @return a failed future when an argument is null (or a list holds a null), else null */
  private static <T> Future<T> missing(Object... args) {
    for (Object a : args) {
      if (a == null || a instanceof List<?> l && l.stream().anyMatch(Objects::isNull)) {
        return Future.failedFuture(new IllegalArgumentException("missing argument"));
      }
    }
    return null;
  }

  /** @return {@code action}'s future, or a failed one when an argument is missing */
  static <T> Future<T> checked(Supplier<Future<T>> action, Object... args) {
    Future<T> invalid = missing(args);
    return invalid != null ? invalid : action.get();
  }
}
