package dev.ferrymq.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's routes, kept as a table so 405 answers can name the allowed methods. Every route declares its
 * {@link Access}; its handlers run in order: the {@link Gatekeeper}, the {@link BodyReader} (so no body is read for a
 * request that is refused), then the route's own handler.
 */
final class RouteTable {

  /** One route: {@code path} in vertx-web form ({@code /queues/:queue}). */
  record Entry(HttpMethod method, String path, Access access, Pattern pattern) {
  }

  private final Router router;
  private final Gatekeeper gatekeeper;
  private final Handler<RoutingContext> body;
  private final List<Entry> entries = new ArrayList<>();

  RouteTable(Router router, Gatekeeper gatekeeper, Handler<RoutingContext> body) {
    this.router = router;
    this.gatekeeper = gatekeeper;
    this.body = body;
  }

  RouteTable add(HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {
    router.route(method, path).handler(gatekeeper.guard(access)).handler(body).handler(handler);
    entries.add(new Entry(method, path, access, Pattern.compile(path.replaceAll(":[A-Za-z]+", "[^/]+"))));
    return this;
  }

  List<Entry> entries() {
    return entries;
  }

  Set<String> methodsFor(String path) {
    Set<String> methods = new LinkedHashSet<>();
    if (path != null) {
      for (Entry e : entries) {
        if (e.pattern.matcher(path).matches()) {
          methods.add(e.method.name());
        }
      }
    }
    return methods;
  }
}
