package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class SmokeTest extends BrokerTestBase {

  @Test
  void sendThenReceive(TestInfo info) {
    Queue q = broker.queue(unique(info));
    String id = q.send(Buffer.buffer("hello")).await();
    List<Delivery> got = q.receive(10, Duration.ZERO, null).await();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).messageId()).isEqualTo(id);
    assertThat(got.get(0).payload().toString()).isEqualTo("hello");
    got.get(0).ack().await();
    assertThat(q.stats().await().depth()).isZero();
  }
}
