package dev.ferrymq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clustered event bus of two nodes built by {@link NodeVertx} with TLS and client certificates: they talk to each
 * other; a plain-TCP member of the same Hazelcast cluster, a raw plaintext socket and a TLS client without a
 * certificate are all refused; and Java-serialized bodies are refused.
 */
@Timeout(240)
class EventBusSecurityTest {

  static final List<Vertx> nodes = new ArrayList<>();
  static Vertx a;
  static Vertx b;
  static Path dir;
  static String hazelcastXml;
  static int[] ports = new int[3];
  static final AtomicInteger plainReceived = new AtomicInteger();

  @BeforeAll
  static void startTwoTlsNodes() throws Exception {
    dir = Files.createTempDirectory("ferrymq-eb-tls");
    for (int i = 0; i < ports.length; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        ports[i] = s.getLocalPort();
      }
    }
    String members = "<member>127.0.0.1:" + ports[0] + "</member><member>127.0.0.1:" + ports[1] + "</member>"
      + "<member>127.0.0.1:" + ports[2] + "</member>";
    Path xml = dir.resolve("hazelcast.xml");
    Files.writeString(xml, """
      <hazelcast xmlns="http://www.hazelcast.com/schema/config">
        <cluster-name>NAME</cluster-name>
        <properties>
          <property name="hazelcast.phone.home.enabled">false</property>
          <property name="hazelcast.socket.bind.any">false</property>
          <property name="hazelcast.logging.type">slf4j</property>
        </properties>
        <network>
          <join><auto-detection enabled="false"/><multicast enabled="false"/>
            <tcp-ip enabled="true">MEMBERS</tcp-ip></join>
          <interfaces enabled="true"><interface>127.0.0.1</interface></interfaces>
        </network>
      </hazelcast>
      """.replace("NAME", "eb-tls-" + UUID.randomUUID()).replace("MEMBERS", members));
    hazelcastXml = xml.toString();
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    EventBusTls tls = new EventBusTls(cert.privateKeyPath(), cert.certificatePath(), cert.certificatePath());
    a = NodeVertx.start(hazelcastXml, ports[0], "127.0.0.1", 0, tls).await();
    nodes.add(a);
    b = NodeVertx.start(hazelcastXml, ports[1], "127.0.0.1", 0, tls).await();
    nodes.add(b);
    a.eventBus().<String>consumer("sec.echo", m -> {
      if ("plain".equals(m.body())) {
        plainReceived.incrementAndGet();
      }
      m.reply("echo:" + m.body());
    }).completion().await();
  }

  @AfterAll
  static void stop() {
    for (Vertx v : nodes) {
      v.close().await();
    }
  }

  static int eventBusPort(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodeInfo().port();
  }

  @Test
  void tlsMembersTalkToEachOther() {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
      b.eventBus().<String>request("sec.echo", "hi", new DeliveryOptions().setSendTimeout(2000))
        .map(m -> m.body()).otherwise("failed").await().equals("echo:hi"));
  }

  @Test
  void aPlainMemberOfTheSameHazelcastClusterCannotReachTheTlsEventBus() {
    Vertx plain = Vertx.builder()
      .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
      .withClusterManager(new HazelcastClusterManager(loadConfig(ports[2])))
      .buildClustered().await();
    nodes.add(plain);
    // It joins through Hazelcast (no TLS there, see docs/SECURITY.md) and sees the consumer; once it does, its
    // requests are routed to node A, whose TLS port drops them: they time out instead of failing with NO_HANDLERS.
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      Throwable failure = plain.eventBus().<String>request("sec.echo", "plain", new DeliveryOptions()
        .setSendTimeout(1000)).map(m -> (Throwable) null).otherwise(e -> e).await();
      assertThat(failure).as("a plaintext request to a TLS member must never be answered").isNotNull();
      return failure instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
    });
    assertThat(plainReceived.get()).isZero();
  }

  private static com.hazelcast.config.Config loadConfig(int port) {
    try {
      return dev.ferrymq.cluster.HazelcastSupport.loadClusterConfig(Path.of(hazelcastXml), port);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void plaintextAndCertificateLessClientsAreCutOff() {
    int port = eventBusPort(a);
    assertThat(closedWithoutAnswer(new NetClientOptions(), port)).as("plaintext socket").isTrue();
    assertThat(closedWithoutAnswer(new NetClientOptions().setSsl(true).setTrustAll(true), port))
      .as("TLS without a client certificate").isTrue();
  }

  /** Connects, sends an event-bus-looking frame, and waits for the server to close; true when nothing came back. */
  private static boolean closedWithoutAnswer(NetClientOptions options, int port) {
    var client = a.createNetClient(options.setConnectTimeout(5000));
    AtomicBoolean closed = new AtomicBoolean();
    AtomicInteger plainBytes = new AtomicInteger();
    try {
      NetSocket socket = client.connect(port, "127.0.0.1").otherwise((NetSocket) null).await();
      if (socket == null) {
        return true; // refused during the handshake
      }
      socket.handler(buf -> plainBytes.addAndGet(buf.length()));
      socket.closeHandler(v -> closed.set(true));
      socket.write(Buffer.buffer().appendInt(64).appendBytes(new byte[64]));
      Awaitility.await().atMost(Duration.ofSeconds(20)).untilTrue(closed);
      return options.isSsl() || plainBytes.get() < 64; // a plaintext peer only ever sees a TLS alert
    } finally {
      client.close().await();
    }
  }

  @Test
  void javaSerializedBodiesAreRefused() {
    assertThatThrownBy(() -> b.eventBus().send("sec.echo", new BigInteger("42")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No message codec");
    assertThatThrownBy(() -> b.eventBus().send("sec.echo", new java.util.Date()))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
