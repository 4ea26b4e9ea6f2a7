package dev.ferrymq.http;

import dev.ferrymq.Grants.Action;
import dev.ferrymq.Grants;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * What a route requires: nothing ({@link #OPEN}), the {@code admin} grant, or an action on every destination the
 * request names. Each route of {@link RouteTable} declares one, so no route can be added without a decision.
 *
 * @param action the action needed, or {@code null} for open and admin routes
 * @param admin whether the route needs {@code admin}
 * @param names the destinations the request names (from a path parameter or the query)
 * @param stream whether the route answers with an SSE stream (counted against the per-client stream limit)
 */
record Access(Action action, boolean admin, Function<RoutingContext, List<String>> names, boolean stream) {

  /** No token needed: health checks and the API description. */
  static final Access OPEN = new Access(null, false, ctx -> List.of(), false);
  /** Listing, configuration, purge, delete, dead letters, the cluster view. */
  static final Access ADMIN = new Access(null, true, ctx -> List.of(), false);

  /** @return {@code action} on the destination in path parameter {@code param} */
  static Access to(Action action, String param) {
    return new Access(action, false, ctx -> List.of(Params.name(ctx, param)), false);
  }

  /** @return {@code action} on every destination {@code names} returns */
  static Access toEach(Action action, Function<RoutingContext, List<String>> names) {
    return new Access(action, false, names, false);
  }

  /** @return this access for an SSE route */
  Access asStream() {
    return new Access(action, admin, names, true);
  }

  boolean open() {
    return action == null && !admin;
  }

  /** @return whether {@code grants} allow this request */
  boolean allowedBy(Grants grants, RoutingContext ctx) {
    if (admin) {
      return grants.admin();
    }
    for (String name : names.apply(ctx)) {
      if (!grants.allows(action, name)) {
        return false;
      }
    }
    return true;
  }

  /** @return a short description for a 403 */
  String describe() {
    return admin ? "admin" : action.key();
  }
}
