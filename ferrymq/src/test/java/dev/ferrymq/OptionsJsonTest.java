package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsJsonTest {

  private static String refusal(Runnable r) {
    try {
      r.run();
    } catch (InvalidRequestException e) {
      assertThat(e.getMessage()).doesNotContain("java.", "class ", "Exception");
      return e.getMessage();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void theJsonFormReadsBackToTheSameOptions() {
    QueueOptions q = new QueueOptions().setMaxDeliveries(2).setVisibilityTimeout(Duration.ofMillis(1500))
      .setDeadLetterQueue("elsewhere").setDurability(Durability.ASYNC).setMaxLength(7);
    assertThat(OptionsJson.queue(new QueueOptions(), q.toJson()).toJson()).isEqualTo(q.toJson());
    TopicOptions t = new TopicOptions().setCapacity(5).setTtl(Duration.ofMinutes(1)).setDurability(Durability.MEMORY);
    assertThat(OptionsJson.topic(t.toJson()).toJson()).isEqualTo(t.toJson());
  }

  @Test
  void changesApplyToTheBase() {
    QueueOptions base = new QueueOptions().setMaxDeliveries(9).setDeadLetterQueue("d");
    QueueOptions next = OptionsJson.queue(base, new JsonObject().put("maxLength", 3).put("visibilityTimeout", 2000));
    assertThat(next.getMaxDeliveries()).isEqualTo(9);
    assertThat(next.getMaxLength()).isEqualTo(3);
    assertThat(next.getVisibilityTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(base.getMaxLength()).isZero();
    // null sets the dead-letter queue back to its default (<queue>.dlq)
    assertThat(OptionsJson.queue(base, new JsonObject().putNull("deadLetterQueue")).getDeadLetterQueue()).isNull();
    assertThat(OptionsJson.queue(base, new JsonObject().put("durability", "memory")).getDurability())
      .isEqualTo(Durability.MEMORY);
  }

  @Test
  void unknownFieldsAreRefusedByName() {
    String m = refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("maxDeliverys", 3)));
    assertThat(m).startsWith("unknown field \"maxDeliverys\" in queue options (did you mean \"maxDeliveries\"?)")
      .contains("visibilityTimeout", "deadLetterQueue");
    assertThat(refusal(() -> OptionsJson.topic(new JsonObject().put("colour", "red"))))
      .isEqualTo("unknown field \"colour\" in topic options; the fields are capacity, ttl, durability, partitions");
  }

  @Test
  void wrongTypesSayWhatTheFieldExpects() {
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("maxDeliveries", "x"))))
      .isEqualTo("maxDeliveries must be a whole number up to 2147483647, was \"x\" (text)");
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("maxLength", 2.5))))
      .isEqualTo("maxLength must be a whole number up to 2147483647, was 2.5");
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("maxLength", 5_000_000_000L))))
      .startsWith("maxLength must be a whole number up to");
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("visibilityTimeout", true))))
      .startsWith("visibilityTimeout must be a duration such as \"500ms\", \"30s\"");
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("deadLetterQueue", 5))))
      .isEqualTo("deadLetterQueue must be text, was 5");
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().putNull("maxDeliveries"))))
      .isEqualTo("maxDeliveries must be a whole number up to 2147483647, was null");
    assertThat(refusal(() -> OptionsJson.topic(new JsonObject().put("durability", new JsonObject()))))
      .isEqualTo("durability must be one of MEMORY, ASYNC or SYNC, was an object");
    assertThat(refusal(() -> OptionsJson.topic(new JsonObject().put("capacity", new io.vertx.core.json.JsonArray()))))
      .isEqualTo("capacity must be a whole number up to 2147483647, was a list");
    // Right type, out of range: the setter's own message.
    assertThat(refusal(() -> OptionsJson.queue(new QueueOptions(), new JsonObject().put("maxDeliveries", 0))))
      .isEqualTo("maxDeliveries must be at least 1, was 0");
    assertThat(refusal(() -> OptionsJson.topic(new JsonObject().put("durability", "forever"))))
      .contains("durability must be memory, async or sync");
    assertThatThrownBy(() -> OptionsJson.queue(new QueueOptions(), null)).isInstanceOf(NullPointerException.class);
  }
}
