package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** An SSE consumer that never reads is cut off once its buffer limit is passed, and its leases come back at once. */
class SlowClientTest extends GatewayTestBase {

  @BeforeAll
  static void smallSseBuffer() {
    client.close();
    vertx.undeploy(gateway.deploymentID()).await();
    startGateway(gatewayOptions().setSseBufferLimit(64 * 1024));
  }

  @Test
  void slowSseConsumerIsDisconnectedAndItsLeasesReleased(TestInfo info) throws Exception {
    String q = unique(info);
    int messages = 300;
    Buffer payload = Buffer.buffer("x".repeat(60 * 1024));
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      sends.add(client.post("/queues/" + q + "/messages").sendBuffer(payload));
    }
    Future.all(sends).await();
    long dropped = SseStream.SLOW_CLIENTS_DROPPED.get();
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      OutputStream out = slow.getOutputStream();
      out.write(("GET /queues/" + q + "/deliveries?prefetch=1000&visibility=10m HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // Never read. The server must give up on this client rather than buffer 18 MB for it.
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> SseStream.SLOW_CLIENTS_DROPPED.get() > dropped);
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        JsonObject s = get("/queues/" + q).bodyAsJsonObject();
        return s.getInteger("consumers") == 0 && s.getLong("inFlight") == 0 && s.getLong("ready") == messages;
      });
      // What the server had queued before it hung up is less than everything, and then the stream ends.
      slow.setSoTimeout(30_000);
      InputStream in = slow.getInputStream();
      long read = 0;
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        read += n;
      }
      assertThat(read).isPositive().isLessThan((long) messages * payload.length());
    }
  }
}
