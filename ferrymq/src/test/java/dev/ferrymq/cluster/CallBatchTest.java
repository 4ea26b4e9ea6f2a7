package dev.ferrymq.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.cluster.CallBatch.Call;
import dev.ferrymq.cluster.CallBatch.Result;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallBatchTest {

  @Test
  void callsKeepTheirAddressHeadersTimeoutAndBodyOfEveryKind() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("op", "send").add("x", "1").add("x", "2 é");
    List<Object> bodies = Arrays.asList(null, Buffer.buffer(new byte[] {0, 1, 2, (byte) 255}), "lease-7 ü",
      new JsonObject().put("a", 1).put("b", new JsonArray().add("c")), new JsonArray().add(1).add("x"), 42L, 7, true,
      Buffer.buffer());
    List<Call> calls = bodies.stream().map(b -> new Call("queue:orders", headers, 30_000, b)).toList();

    List<Call> back = CallBatch.decodeCalls(CallBatch.encodeCalls(calls));

    assertThat(back).hasSize(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(back.get(i).address()).isEqualTo("queue:orders");
      assertThat(back.get(i).timeoutMs()).isEqualTo(30_000);
      assertThat(back.get(i).headers().getAll("X")).containsExactly("1", "2 é");
      assertThat(back.get(i).headers().get("op")).isEqualTo("send");
      assertThat(back.get(i).body()).as("body %d", i).isEqualTo(bodies.get(i));
    }
  }

  @Test
  void resultsKeepRepliesAndFailuresInOrder() {
    List<Result> results = List.of(Result.reply(MultiMap.caseInsensitiveMultiMap().add("h", "v"), "id-1"),
      Result.failure(404, "no lease 'x' on queue 'orders'"), Result.reply(null, null), Result.failure(421, null),
      Result.reply(MultiMap.caseInsensitiveMultiMap(), 12L));

    List<Result> back = CallBatch.decodeResults(CallBatch.encodeResults(results));

    assertThat(back).hasSize(5);
    assertThat(back.get(0).failed()).isFalse();
    assertThat(back.get(0).body()).isEqualTo("id-1");
    assertThat(back.get(0).headers().get("h")).isEqualTo("v");
    assertThat(back.get(1).failed()).isTrue();
    assertThat(back.get(1).code()).isEqualTo(404);
    assertThat(back.get(1).message()).isEqualTo("no lease 'x' on queue 'orders'");
    assertThat(back.get(2).body()).isNull();
    assertThat(back.get(2).headers().isEmpty()).isTrue();
    assertThat(back.get(3).code()).isEqualTo(421);
    assertThat(back.get(3).message()).isEmpty();
    assertThat(back.get(4).body()).isEqualTo(12L);
  }

  @Test
  void onlyBodiesWithAWireFormAreBatched() {
    assertThat(CallBatch.carries(new Object())).isFalse();
    assertThat(CallBatch.carries(3.5d)).isFalse();
    assertThat(CallBatch.carries(Buffer.buffer("x"))).isTrue();
    assertThatThrownBy(() -> CallBatch.encodeCalls(List.of(new Call("a", null, 1, new Object()))))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
