package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class RequestReplyTest extends BrokerTestBase {

  @Test
  void anEventBusConsumerAnswers(TestInfo info) {
    String address = unique(info);
    MessageConsumer<Buffer> c = vertx.eventBus().<Buffer>consumer(address,
      m -> m.reply(new JsonObject().put("echo", m.body().toString()).put("h", m.headers().get("x"))));
    c.completion().await();
    Reply r = broker.request(address, Buffer.buffer("hi"), Map.of("x", "y"), Duration.ofSeconds(5)).await();
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("echo", "hi").put("h", "y"));
    assertThat(r.contentType()).isEqualTo("application/json");
    c.unregister().await();
  }

  @Test
  void timeoutNoHandlerAndFailureAreDistinct(TestInfo info) {
    String slow = unique(info);
    String failing = unique(info);
    MessageConsumer<Buffer> silent = vertx.eventBus().consumer(slow, m -> { });
    MessageConsumer<Buffer> broken = vertx.eventBus().consumer(failing, m -> m.fail(42, "boom"));
    silent.completion().await();
    broken.completion().await();

    assertThat(QueueTest.awaitFailure(broker.request(slow, Buffer.buffer("x"), null, Duration.ofMillis(200))))
      .isInstanceOf(RequestTimeoutException.class);
    assertThat(QueueTest.awaitFailure(broker.request(unique(info), Buffer.buffer("x"), null, Duration.ofSeconds(5))))
      .isInstanceOf(NoHandlerException.class);
    assertThat(QueueTest.awaitFailure(broker.request(failing, Buffer.buffer("x"), null, Duration.ofSeconds(5))))
      .isInstanceOf(HandlerFailureException.class).hasMessageContaining("boom");
    assertThat(QueueTest.awaitFailure(broker.request("bad address", Buffer.buffer("x"), null, Duration.ofSeconds(1))))
      .isInstanceOf(InvalidNameException.class);
    assertThat(QueueTest.awaitFailure(broker.request(slow, Buffer.buffer("x"), null, Duration.ofMillis(-5))))
      .isInstanceOf(InvalidRequestException.class);
    silent.unregister().await();
    broken.unregister().await();
  }
}
