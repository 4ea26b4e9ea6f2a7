package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class RequestHttpTest extends GatewayTestBase {

  @Test
  void replyTimeoutNoHandlerAndFailure(TestInfo info) {
    String address = unique(info);
    MessageConsumer<Buffer> echo = vertx.eventBus().<Buffer>consumer(address, m -> {
      String text = m.body().toString();
      if (text.equals("fail")) {
        m.fail(42, "boom");
      } else if (!text.equals("silent")) {
        m.reply(Buffer.buffer("echo:" + text), new DeliveryOptions().addHeader("content-type", "text/plain")
          .addHeader("seen-type", String.valueOf(m.headers().get("content-type"))));
      }
    });
    echo.completion().await();
    try {
      HttpResponse<Buffer> ok = client.post("/requests/" + address).putHeader("Content-Type", "text/x-test")
        .sendBuffer(Buffer.buffer("hi")).await();
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.bodyAsString()).isEqualTo("echo:hi");
      assertThat(ok.getHeader("Content-Type")).isEqualTo("text/plain");
      assertThat(ok.getHeader("Ferry-Header-seen-type")).isEqualTo("text/x-test");

      assertThat(client.post("/requests/" + address + "?timeout=200ms").sendBuffer(Buffer.buffer("silent")).await()
        .statusCode()).isEqualTo(504);
      assertThat(client.post("/requests/" + address).putHeader("Prefer", "wait=1").sendBuffer(Buffer.buffer("silent"))
        .await().statusCode()).isEqualTo(504);
      assertThat(post("/requests/" + address, "fail").statusCode()).isEqualTo(502);
      HttpResponse<Buffer> none = post("/requests/" + address + "-nobody", "x");
      assertThat(none.statusCode()).isEqualTo(503);
      assertThat(none.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(post("/requests/" + address + "?timeout=-5s", "x").statusCode()).isEqualTo(400);
    } finally {
      echo.unregister().await();
    }
  }
}
