package dev.ferrymq.store;

import dev.ferrymq.UnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** A write waiting for the group-commit writer: its statements, and the caller to answer on its own context. */
final class WriteOp {

  /** Adds this step's rows to a statement, one {@code addBatch()} per row. */
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** One statement with its rows; consecutive steps with the same SQL share one JDBC batch. */
  record Step(String sql, int rows, Binder binder) {
  }

  final List<Step> steps;
  final int rows;
  private final Context context;
  private final Promise<Void> promise = Promise.promise();

  WriteOp(Context context, List<Step> steps) {
    this.context = context;
    this.steps = steps;
    this.rows = Math.max(1, steps.stream().mapToInt(Step::rows).sum());
  }

  Future<Void> future() {
    return promise.future();
  }

  void succeed() {
    context.runOnContext(v -> promise.complete());
  }

  void fail(String message) {
    context.runOnContext(v -> promise.fail(new UnavailableException(message)));
  }
}
