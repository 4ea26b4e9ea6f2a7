package dev.ferrymq.shard;

import dev.ferrymq.NotFoundException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One operation on every partition at once: a partition not created yet counts as empty (left out). */
final class Parts {

  private Parts() {
  }

  /** @return the results of the partitions that exist, in partition order; the first other failure fails it */
  static <P, T> Future<List<T>> all(List<P> parts, Function<P, Future<T>> op) {
    List<Future<T>> calls = new ArrayList<>();
    parts.forEach(p -> calls.add(op.apply(p)));
    return Future.join(calls).transform(ar -> {
      List<T> out = new ArrayList<>();
      for (Future<T> f : calls) {
        if (f.succeeded()) {
          out.add(f.result());
        } else if (!(f.cause() instanceof NotFoundException)) {
          return Future.failedFuture(f.cause());
        }
      }
      return Future.succeededFuture(out);
    });
  }
}
