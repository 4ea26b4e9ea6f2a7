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

/** The gateway's routes, kept as a table so 405 answers can name the allowed methods. */
final class RouteTable {

  /** One route: {@code path} in vertx-web form ({@code /queues/:queue}). */
  record Entry(HttpMethod method, String path, Pattern pattern) {
  }

  private final Router router;
  private final List<Entry> entries = new ArrayList<>();

  RouteTable(Router router) {
    this.router = router;
  }

  RouteTable add(HttpMethod method, String path, Handler<RoutingContext> handler) {
    router.route(method, path).handler(handler);
    entries.add(new Entry(method, path, Pattern.compile(path.replaceAll(":[A-Za-z]+", "[^/]+"))));
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
