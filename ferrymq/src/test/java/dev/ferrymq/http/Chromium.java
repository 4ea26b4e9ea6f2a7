package dev.ferrymq.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol: one page, its console errors and uncaught exceptions
 * collected, {@link #evaluate} to read it, {@link #screenshot} to keep what it shows. {@link #close} ends the browser
 * and every process it started, by PID.
 */
final class Chromium implements AutoCloseable {

  static final String PATH = "/usr/bin/chromium";

  private final Vertx vertx;
  private final Path profile;
  private final Process process;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Promise<JsonObject>> calls = new ConcurrentHashMap<>();
  /** Console errors, failed loads and uncaught exceptions, as text. */
  final List<String> errors = new CopyOnWriteArrayList<>();

  static boolean available() {
    return new File(PATH).canExecute();
  }

  /** Starts the browser on {@code about:blank} and attaches to its page. */
  static Chromium start(Vertx vertx) throws Exception {
    Path profile = Files.createTempDirectory("ferrymq-chromium");
    Process process = new ProcessBuilder(PATH, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--window-size=1400,1000", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
      "--user-data-dir=" + profile, "about:blank")
      .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      return new Chromium(vertx, profile, process);
    } catch (Exception | AssertionError e) {
      kill(process);
      throw e;
    }
  }

  private Chromium(Vertx vertx, Path profile, Process process) throws Exception {
    this.vertx = vertx;
    this.profile = profile;
    this.process = process;
    Path portFile = profile.resolve("DevToolsActivePort");
    Awaitility.await("DevToolsActivePort of Chromium").atMost(Duration.ofSeconds(60))
      .until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(vertx);
    JsonArray targets;
    try {
      targets = web.get(port, "127.0.0.1", "/json/list").send().await().bodyAsJsonArray();
    } finally {
      web.close();
    }
    String page = targets.stream().map(o -> (JsonObject) o).filter(t -> "page".equals(t.getString("type")))
      .findFirst().orElseThrow(() -> new AssertionError("no page target among " + targets)).getString("id");
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(64 << 20)
      .setMaxMessageSize(64 << 20));
    socket = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/devtools/page/" + page)).await();
    socket.textMessageHandler(this::onMessage);
    call("Runtime.enable", null);
    call("Log.enable", null);
    call("Page.enable", null);
  }

  private void onMessage(String text) {
    JsonObject msg = new JsonObject(text);
    Integer id = msg.getInteger("id");
    if (id != null) {
      Promise<JsonObject> p = calls.remove(id);
      if (p != null) {
        if (msg.containsKey("error")) {
          p.fail(msg.getJsonObject("error").encode());
        } else {
          p.complete(msg.getJsonObject("result", new JsonObject()));
        }
      }
      return;
    }
    JsonObject params = msg.getJsonObject("params", new JsonObject());
    switch (String.valueOf(msg.getString("method"))) {
      case "Runtime.exceptionThrown" -> errors.add("exception: " + params.getJsonObject("exceptionDetails").encode());
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(params.getString("type")) || "assert".equals(params.getString("type"))) {
          errors.add("console." + params.getString("type") + ": " + params.getJsonArray("args").encode());
        }
      }
      case "Log.entryAdded" -> {
        JsonObject entry = params.getJsonObject("entry");
        if ("error".equals(entry.getString("level"))) {
          errors.add("log: " + entry.getString("text") + " " + entry.getString("url", ""));
        }
      }
      default -> {
      }
    }
  }

  /** Sends one CDP command and waits for its result. */
  JsonObject call(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    Promise<JsonObject> p = Promise.promise();
    calls.put(id, p);
    JsonObject msg = new JsonObject().put("id", id).put("method", method);
    if (params != null) {
      msg.put("params", params);
    }
    socket.writeTextMessage(msg.encode());
    return p.future().timeout(60, TimeUnit.SECONDS).await();
  }

  void navigate(String url) {
    call("Page.navigate", new JsonObject().put("url", url));
  }

  /** @return the value of a JavaScript expression in the page (strings, numbers, booleans; {@code null} else) */
  Object evaluate(String expression) {
    JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
      .put("returnByValue", true).put("awaitPromise", true));
    if (r.containsKey("exceptionDetails")) {
      throw new AssertionError("page threw on " + expression + ": " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /** Writes a PNG of the page to {@code file}. */
  void screenshot(Path file) throws Exception {
    String data = call("Page.captureScreenshot", new JsonObject().put("format", "png")
      .put("captureBeyondViewport", true)).getString("data");
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(data));
  }

  @Override
  public void close() {
    if (socket != null) {
      Future.await(socket.close().recover(e -> Future.succeededFuture()));
      client.close();
    }
    kill(process);
    try (var paths = Files.walk(profile)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temp dir left behind is harmless.
    }
  }

  /** Ends the browser and the processes it started (renderer, GPU, zygote), each by its PID. */
  private static void kill(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(p -> {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    });
  }
}
