package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example app in its own JVM: it handles its orders and the JVM ends after {@code vertx.close()} alone. */
class ShopAppTest {

  @Test
  void handlesOrdersAndExitsAfterVertxClose(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.log");
    Process app = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
      "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
      ShopApp.class.getName(), dir.resolve("data").toString(), "--demo", "100"))
      .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean exited = app.waitFor(120, TimeUnit.SECONDS);
    String log = Files.readString(out);
    if (!exited) {
      app.destroyForcibly();
    }
    assertTrue(exited, "the app's JVM did not exit within 120 s of starting; its output:\n" + log);
    assertEquals(0, app.exitValue(), "exit code; output:\n" + log);
    assertTrue(log.contains("handled 100 orders"), log);
    assertTrue(log.contains("vertx closed"), log);
    assertTrue(log.contains("FerryMQ keeps confirmed messages in SQLite at " + dir.resolve("data")), log);
  }
}
