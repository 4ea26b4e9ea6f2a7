package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The node's logback setup: {@code json} writes one JSON object per line, {@code text} plain lines. */
class LogsTest {

  @AfterEach
  void backToText() {
    Logs.apply(Logs.TEXT, "INFO");
  }

  private static List<String> logged(String format, Runnable logging) {
    PrintStream err = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Logs.apply(format, "INFO");
      logging.run();
    } finally {
      System.setErr(err);
    }
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonFormatWritesOneJsonObjectPerLine() {
    List<String> lines = logged(Logs.JSON, () -> {
      LoggerFactory.getLogger("dev.ferrymq.test").info("member {} joined", "m1");
      LoggerFactory.getLogger("dev.ferrymq.access").atInfo().addKeyValue("status", 204).log("POST /x 204");
      LoggerFactory.getLogger("dev.ferrymq.test").debug("not at INFO");
    });
    assertThat(lines).as("captured: %s", lines).hasSize(2);
    JsonObject first = new JsonObject(lines.get(0));
    assertThat(first.getString("level")).isEqualTo("INFO");
    assertThat(first.getString("loggerName")).isEqualTo("dev.ferrymq.test");
    assertThat(first.getString("formattedMessage")).isEqualTo("member m1 joined");
    JsonObject second = new JsonObject(lines.get(1));
    assertThat(second.getJsonArray("kvpList").encode()).contains("\"status\"");
  }

  @Test
  void textFormatWritesPlainLines() {
    List<String> lines = logged(Logs.TEXT, () -> LoggerFactory.getLogger("dev.ferrymq.test").info("plain {}", 1));
    assertThat(lines).as("captured: %s", lines).hasSize(1);
    assertThat(lines.get(0)).endsWith("INFO  test - plain 1").doesNotStartWith("{");
  }
}
