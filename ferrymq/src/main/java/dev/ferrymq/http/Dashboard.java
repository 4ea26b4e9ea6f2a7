package dev.ferrymq.http;

import dev.ferrymq.GatewayOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard: {@code GET /} answers its page, {@code GET /dashboard/:file} its scripts and style sheet. The four
 * files are resources under {@code dashboard/} next to this class, read once into memory (no file cache on disk, no
 * build step, nothing fetched from elsewhere). The page is only code: every figure it shows comes from admin routes,
 * called with the token the user gives it.
 */
final class Dashboard {

  private static final Map<String, String> TYPES = Map.of(
    "index.html", "text/html; charset=utf-8",
    "app.js", "text/javascript; charset=utf-8",
    "charts.js", "text/javascript; charset=utf-8",
    "style.css", "text/css; charset=utf-8");
  /** Scripts and styles from this origin only, no inline script; the page is never framed. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, Buffer> files;

  /** The page learns the cookie name and whether auth is on from two meta tags filled in here. */
  Dashboard(GatewayOptions options) {
    String cookie = options.getAuth() == null ? "" : options.getAuth().getCookieName();
    String page = new String(read("index.html"), StandardCharsets.UTF_8)
      .replace("{{auth}}", options.getAuth() == null ? "off" : "on").replace("{{cookie}}", cookie);
    files = Map.of("index.html", Buffer.buffer(page), "app.js", Buffer.buffer(read("app.js")),
      "charts.js", Buffer.buffer(read("charts.js")), "style.css", Buffer.buffer(read("style.css")));
  }

  /** {@code GET /}: the page. Its links are relative: a gateway mounted at a prefix serves it at {@code <prefix>/}. */
  void page(RoutingContext ctx) {
    send(ctx, "index.html");
  }

  /** {@code GET /dashboard/:file}: a script or the style sheet; 404 for any other name. */
  void file(RoutingContext ctx) {
    String name = ctx.pathParam("file");
    if (name == null || name.equals("index.html") || !files.containsKey(name)) {
      Problems.send(ctx, 404, "not-found", "the dashboard has no file " + Problems.truncate(
        String.valueOf(name), 80));
      return;
    }
    send(ctx, name);
  }

  private void send(RoutingContext ctx, String name) {
    ctx.response().putHeader("Content-Type", TYPES.get(name)).putHeader("Cache-Control", "no-cache")
      .putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer").end(files.get(name));
  }

  private static byte[] read(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource dashboard/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
