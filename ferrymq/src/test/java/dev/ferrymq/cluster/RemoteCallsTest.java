package dev.ferrymq.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member whose endpoint does not know batches (an older version during a rolling upgrade) still gets every call:
 * the batch it refuses as an unknown target is sent again call by call, and later turns go to it call by call.
 */
@Timeout(120)
class RemoteCallsTest {

  private Vertx vertx;
  private HazelcastInstance hazelcast;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    hazelcast = Hazelcast.newHazelcastInstance(HazelcastSupport.clusterConfig("remote-calls-" + UUID.randomUUID(),
      port, List.of("127.0.0.1:" + port)));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    hazelcast.shutdown();
  }

  @Test
  void aMemberWithoutBatchesGetsEachCallAlone() {
    String member = HazelcastSupport.nodeId(hazelcast.getCluster().getLocalMember());
    AtomicInteger batches = new AtomicInteger();
    List<String> singles = new ArrayList<>();
    vertx.eventBus().<Object>consumer(NodeEndpoint.address(member), m -> { // as an endpoint of an older version
      String to = m.headers().get(NodeEndpoint.TO);
      if (to.startsWith("owner:")) {
        singles.add(m.headers().get("op") + " " + m.body());
        m.reply("done " + m.body());
      } else {
        batches.incrementAndGet();
        m.fail(400, "unknown target " + to);
      }
    }).completion().await();
    RemoteCalls remote = new RemoteCalls(vertx, hazelcast);

    List<String> first = turn(remote, member, "a", "b", "c");
    List<String> second = turn(remote, member, "d", "e");

    assertThat(first).containsExactly("done a", "done b", "done c");
    assertThat(second).containsExactly("done d", "done e");
    assertThat(batches).as("one batch tried, then calls alone").hasValue(1);
    assertThat(singles).containsExactly("send a", "send b", "send c", "send d", "send e");
  }

  /** Makes one call per body on one event loop in one turn; @return the answers' bodies */
  private List<String> turn(RemoteCalls remote, String member, String... bodies) {
    Promise<List<Future<Message<String>>>> made = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Message<String>>> calls = new ArrayList<>();
      for (String b : bodies) {
        calls.add(remote.call(member, "queue:jobs", Buffer.buffer(b), new DeliveryOptions().addHeader("op", "send")));
      }
      made.complete(calls);
    });
    List<Future<Message<String>>> calls = made.future().await();
    Future.all(calls).await();
    return calls.stream().map(f -> f.result().body()).toList();
  }
}
