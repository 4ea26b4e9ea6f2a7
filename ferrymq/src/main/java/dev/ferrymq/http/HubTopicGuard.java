package dev.ferrymq.http;

import dev.ferrymq.Names;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Keeps FerryMQ's own topic routes off the Mercure hub's log topic: its messages are Mercure updates, private ones
 * among them, which only the hub may hand out (by Mercure's rules) and only the hub may write. A FerryMQ grant of
 * {@code *} would otherwise read private updates and forge others through {@code /topics/…} or {@code /events}.
 */
final class HubTopicGuard {

  private final String hubTopic;

  HubTopicGuard(String hubTopic) {
    this.hubTopic = hubTopic;
  }

  /**
   * Refuses {@code /topics/<hub topic>…} and {@code /events} naming it, with 403, but for an administrator's
   * {@code PUT /topics/<hub topic>} (its options: durability, history): lets everything else through.
   */
  void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint().replaceAll("/+$", "");
    if (!mount.isEmpty() && path.startsWith(mount)) { // the gateway mounted on an application's router, e.g. /mq
      path = path.substring(mount.length());
    }
    String named = null;
    if (path.startsWith("/topics/")) {
      int end = path.indexOf('/', 8);
      named = path.substring(8, end < 0 ? path.length() : end);
    }
    boolean options = ctx.request().method() == HttpMethod.PUT && path.equals("/topics/" + named);
    if (named != null && isHub(named) && !options || path.equals("/events") && namesHub(ctx.queryParam("topic"))) {
      Problems.send(ctx, 403, "forbidden", "topic '" + hubTopic + "' is the Mercure hub's log: publish and "
        + "subscribe to it through /.well-known/mercure");
    } else {
      ctx.next();
    }
  }

  /** @return whether the exact names of {@code ?topic=} (comma-separated or repeated) include the hub's topic */
  private boolean namesHub(List<String> params) {
    for (String p : params) {
      for (String n : p.split(",", -1)) {
        if (isHub(n)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isHub(String name) {
    return name.equals(hubTopic) || Names.isPartition(name) && Names.destinationOf(name).equals(hubTopic);
  }

  /** @return whether a pattern subscription must leave out {@code topic}'s messages: it is the hub's topic */
  boolean excludes(String topic) {
    return isHub(topic);
  }
}
