package dev.ferrymq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.BrokerTestBase;
import dev.ferrymq.Delivery;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.QueueStats;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The client's commands in-process ({@link Cli#run}) against a real broker and gateway on a free port: what they
 * print, for people and as JSON, what they do to the broker, and their exit codes.
 */
@Timeout(120)
class CliTest extends BrokerTestBase {

  static final String SECRET = "a-development-secret-0123456789abcdef";

  static String url;
  static String authUrl;
  static String smallBodyUrl;

  /** One run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {

    List<String> lines() {
      return out.lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  @BeforeAll
  static void startGateways() {
    GatewayVerticle open = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
    vertx.deployVerticle(open).await();
    url = "http://127.0.0.1:" + open.actualPort();
    GatewayVerticle secured = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setAuth(new AuthOptions().setSecret(SECRET)));
    vertx.deployVerticle(secured).await();
    authUrl = "http://127.0.0.1:" + secured.actualPort();
    GatewayVerticle small = new GatewayVerticle(broker, new GatewayOptions().setPort(0).setBodyLimit(2048));
    vertx.deployVerticle(small).await();
    smallBodyUrl = "http://127.0.0.1:" + small.actualPort();
  }

  static Run run(String stdin, String... args) {
    return run(stdin, Map.of(FerryCommand.URL_ENV, url, Io.STDERR_TTY, "0"), args);
  }

  static Run run(String stdin, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
      new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run ok(String stdin, String... args) {
    Run r = run(stdin, args);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).as("%s", r).doesNotContain("Exception").doesNotContain("\tat ");
    return r;
  }

  static QueueStats stats(String queue) {
    return broker.queue(queue).stats().await();
  }

  @Test
  void linesOfStdinArePublishedInBatchesThenConsumedAndAcked(TestInfo info) {
    String q = unique(info);
    String lines = IntStream.range(0, 250).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    Run sent = ok(lines, "publish", "--queue", q, "--batch", "100", "--progress", "-");
    assertThat(sent.out()).as("%s", sent).isEqualTo("sent 250 messages to queue " + q + "\n");
    assertThat(sent.err()).as("progress on stderr").contains("\rsent 250 messages, ").endsWith("\n");
    assertThat(stats(q).ready()).isEqualTo(250);

    Run got = run("", Map.of(FerryCommand.URL_ENV, url, Io.STDERR_TTY, "1"), "consume", "--queue", q, "--max", "250",
      "--json");
    assertThat(got.err()).as("progress when stderr is a terminal: %s", got).contains("received 250 messages, ");
    List<JsonObject> deliveries = got.lines().stream().map(JsonObject::new).toList();
    assertThat(deliveries).as("%s", got).hasSize(250);
    for (int i = 0; i < 250; i++) {
      JsonObject d = deliveries.get(i);
      assertThat(d.getString("queue")).isEqualTo(q);
      assertThat(d.getString("data")).as("FIFO, one message per line").isEqualTo("line " + i);
      assertThat(d.getString("leaseId")).isNotBlank();
      assertThat(d.getString("contentType")).startsWith("text/plain");
    }
    QueueStats after = stats(q);
    assertThat(after.ready() + after.inFlight()).as("every one acked: %s", after).isZero();
  }

  @Test
  void publishJsonGivesOneLinePerMessageAndConsumePrintsPayloadsForPeople(TestInfo info) {
    String q = unique(info);
    Run sent = ok("alpha\nbeta\n", "--json", "publish", "-q", q);
    List<JsonObject> lines = sent.lines().stream().map(JsonObject::new).toList();
    assertThat(lines).as("%s", sent).hasSize(2);
    assertThat(lines).allSatisfy(l -> {
      assertThat(l.getString("queue")).isEqualTo(q);
      assertThat(l.getString("id")).isNotBlank();
      assertThat(l.getBoolean("duplicate")).isFalse();
    });
    Run single = ok("", "publish", "--queue", q, "--header", "trace=7", "gamma");
    assertThat(single.out()).startsWith("sent to queue " + q + ": id ");
    assertThat(single.err()).as("no progress unless asked or on a terminal").isEmpty();

    Run got = ok("", "consume", "--queue", q, "--max", "2");
    assertThat(got.out()).isEqualTo("alpha\nbeta\n");
    JsonObject third = new JsonObject(ok("", "consume", "--queue", q, "--max", "1", "--json").out());
    assertThat(third.getString("data")).isEqualTo("gamma");
    assertThat(third.getJsonObject("headers").getString("trace")).as("-H trace=7").isEqualTo("7");
    assertThat(stats(q).depth()).isZero();
  }

  @Test
  void aBatchOverTheNodesBodyLimitGoesInSmallerOnesInOrder(TestInfo info) {
    String q = unique(info);
    List<String> lines = IntStream.range(0, 40).mapToObj(i -> i + " " + "x".repeat(200)).toList();
    Run sent = run(String.join("\n", lines) + "\n", Map.of(FerryCommand.URL_ENV, smallBodyUrl), "publish", "-q", q);
    assertThat(sent.code()).as("%s", sent).isZero();
    Run got = ok("", "consume", "-q", q, "--max", "40");
    assertThat(got.lines()).containsExactlyElementsOf(lines);
    Run tooLong = run("y".repeat(4000) + "\n", Map.of(FerryCommand.URL_ENV, smallBodyUrl), "publish", "-q", q);
    assertThat(tooLong.code()).as("%s", tooLong).isEqualTo(Exit.USAGE);
    assertThat(tooLong.err()).contains("line 1 is larger than the node takes");
  }

  @Test
  void linesRefusedPastRetryForStopTheCommandAndSayHowManyWereSent(TestInfo info) {
    String q = unique(info);
    broker.queue(q).configure(new dev.ferrymq.QueueOptions().setMaxLength(5)).await();
    Run r = run("a\nb\nc\nd\ne\nf\ng\nh\n", "publish", "--queue", q, "--retry-for", "0s", "--json", "-");
    assertThat(r.code()).as("429 queue full: %s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.lines()).as("the five sent, each with its id").hasSize(5)
      .allSatisfy(l -> assertThat(new JsonObject(l).getString("id")).isNotBlank());
    assertThat(r.err()).startsWith("ferrymq: line 6 refused: ").contains("(5 messages sent)");
    assertThat(stats(q).ready()).isEqualTo(5);
  }

  @Test
  void noAckConsumesAtMostOnceWithNothingToSettle(TestInfo info) {
    String q = unique(info);
    sendAll(broker.queue(q), 3);
    Run got = ok("", "consume", "--queue", q, "--no-ack", "--max", "3", "--json");
    List<JsonObject> deliveries = got.lines().stream().map(JsonObject::new).toList();
    assertThat(deliveries).extracting(d -> d.getString("data")).containsExactly("m0", "m1", "m2");
    assertThat(deliveries).allSatisfy(d -> assertThat(d.getValue("leaseId")).isNull());
    assertThat(stats(q).depth()).isZero();
  }

  @Test
  void consumeStopsAtIdleAndLeavesUnprintedMessagesUnacked(TestInfo info) {
    String q = unique(info);
    sendAll(broker.queue(q), 2);
    Run got = ok("", "consume", "--queue", q, "--idle", "1s");
    assertThat(got.out()).isEqualTo("m0\nm1\n");
    assertThat(stats(q).depth()).isZero();

    sendAll(broker.queue(q), 2);
    PrintStream closed = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    });
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"consume", "--queue", q, "--max", "2"}, java.io.InputStream.nullInputStream(), closed,
      new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(FerryCommand.URL_ENV, url));
    assertThat(code).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("stdout is closed");
    QueueStats s = stats(q);
    assertThat(s.inFlight()).as("not acked, so not lost: %s", s).isEqualTo(2);
  }

  @Test
  void topicPublishAndSubscribeFromEarliest(TestInfo info) {
    String t = unique(info);
    Run first = ok("", "publish", "--topic", t, "one");
    assertThat(first.out()).matches("published to topic " + t + ": seq 1, id \\S+\\n");
    JsonObject second = new JsonObject(ok("", "publish", "--topic", t, "--json", "two\nlines").out());
    assertThat(second.getLong("seq")).isEqualTo(2);
    broker.topic(t).publish(Buffer.buffer(new byte[] {0, (byte) 0xff, 10})).await();

    Run json = ok("", "subscribe", "--topic", t, "--from", "earliest", "--max", "3", "--json");
    List<JsonObject> events = json.lines().stream().map(JsonObject::new).toList();
    assertThat(events).as("%s", json).extracting(e -> e.getLong("seq")).containsExactly(1L, 2L, 3L);
    assertThat(events.get(1).getString("data")).isEqualTo("two\nlines");
    assertThat(events.get(2).getString("encoding")).isEqualTo("base64");
    assertThat(events.get(2).getBinary("data")).containsExactly(0, 0xff, 10);

    Run people = ok("", "subscribe", "--topic", t, "--from", "1", "--max", "1");
    assertThat(people.out()).isEqualTo("two\nlines\n");
  }

  @Test
  void subscribeFromLatestSeesWhatIsPublishedAfterIt(TestInfo info) throws Exception {
    String t = unique(info);
    broker.topic(t).publish(Buffer.buffer("before")).await();
    java.util.concurrent.CompletableFuture<Run> tail = java.util.concurrent.CompletableFuture.supplyAsync(
      () -> run("", "subscribe", "--topic", t, "--max", "2"));
    org.awaitility.Awaitility.await("the subscription to start").atMost(Duration.ofSeconds(30))
      .pollInterval(Duration.ofMillis(100)).until(() -> {
        broker.topic(t).publish(Buffer.buffer("after")).await();
        return tail.isDone();
      });
    Run r = tail.get();
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("after\nafter\n");
  }

  @Test
  void subscribeReconnectsWhenTheNodeEndsTheStreamAndSkipsNothing(TestInfo info) throws Exception {
    String t = unique(info);
    GatewayVerticle first = new GatewayVerticle(broker, new GatewayOptions().setPort(0));
    String deployment = vertx.deployVerticle(first).await();
    int port = first.actualPort();
    broker.topic(t).publish(Buffer.buffer("one")).await();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    java.util.concurrent.CompletableFuture<Integer> tail = java.util.concurrent.CompletableFuture.supplyAsync(
      () -> Cli.run(new String[] {"subscribe", "--topic", t, "--from", "earliest", "--max", "3", "--json"},
        java.io.InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(FerryCommand.URL_ENV, "http://127.0.0.1:" + port)));
    org.awaitility.Awaitility.await("the first message").atMost(Duration.ofSeconds(30))
      .until(() -> out.toString(StandardCharsets.UTF_8).contains("\"seq\":1"));

    vertx.undeploy(deployment).await(); // the node's gateway stops: the stream ends
    broker.topic(t).publish(Buffer.buffer("two")).await();
    GatewayVerticle second = new GatewayVerticle(broker, new GatewayOptions().setPort(port));
    vertx.deployVerticle(second).await();
    broker.topic(t).publish(Buffer.buffer("three")).await();

    int code = tail.get(60, java.util.concurrent.TimeUnit.SECONDS);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("%s%s", printed, err).isZero();
    assertThat(printed.lines().map(JsonObject::new).map(j -> j.getString("data")).toList()).as("%s", err)
      .containsExactly("one", "two", "three");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("ended; reconnecting in").contains("after seq 1");
  }

  @Test
  void listingsAsTablesAndJson(TestInfo info) {
    String q = unique(info);
    String t = unique(info);
    sendAll(broker.queue(q), 4);
    broker.topic(t).publish(Buffer.buffer("x")).await();

    JsonArray queues = new JsonObject(ok("", "queues", "--json").out()).getJsonArray("queues");
    JsonObject mine = queues.stream().map(JsonObject.class::cast).filter(j -> j.getString("queue").equals(q))
      .findFirst().orElseThrow(() -> new AssertionError(q + " not in " + queues.encode()));
    assertThat(mine.getLong("ready")).isEqualTo(4);
    assertThat(mine.getString("kind")).isEqualTo("queue");
    Run table = ok("", "queues");
    assertThat(table.lines().get(0)).startsWith("QUEUE").contains("READY").contains("DEAD-LETTERS");
    assertThat(table.lines()).anyMatch(l -> l.matches(q + "\\s+queue\\s+4\\s+0\\s+0\\s+0\\s+0"));

    JsonArray topics = new JsonObject(ok("", "topics", "--json").out()).getJsonArray("topics");
    assertThat(topics.stream().map(JsonObject.class::cast).filter(j -> j.getString("topic").equals(t))
      .map(j -> j.getLong("lastSeq")).toList()).containsExactly(1L);
    assertThat(ok("", "topics").lines()).anyMatch(l -> l.startsWith(t + " ") && l.contains(" 1 "));
  }

  @Test
  void statsOfAQueueOrATopicByName(TestInfo info) {
    String q = unique(info);
    String t = unique(info);
    sendAll(broker.queue(q), 2);
    broker.topic(t).publish(Buffer.buffer("x")).await();
    Run queue = ok("", "stats", q);
    assertThat(queue.lines()).anyMatch(l -> l.matches("ready\\s+2")).anyMatch(l -> l.startsWith("options."));
    assertThat(new JsonObject(ok("", "stats", "--queue", q, "--json").out()).getLong("ready")).isEqualTo(2);
    assertThat(new JsonObject(ok("", "stats", t, "--json").out()).getLong("lastSeq")).isEqualTo(1);
    Run missing = run("", "stats", "--topic", q);
    assertThat(missing.code()).as("%s", missing).isEqualTo(Exit.NOT_FOUND);
    assertThat(missing.err()).startsWith("ferrymq: Not Found: ");
  }

  @Test
  void purgeAndRedrive(TestInfo info) {
    String q = unique(info);
    sendAll(broker.queue(q), 3);
    List<Delivery> taken = broker.queue(q).receive(1, Duration.ZERO, Duration.ofMinutes(5)).await();
    taken.get(0).reject().await();
    assertThat(ok("", "purge", q).out()).isEqualTo("purged 2 messages from queue " + q + "\n");
    org.awaitility.Awaitility.await("the rejected message in the dead-letter queue").atMost(Duration.ofSeconds(30))
      .untilAsserted(() -> assertThat(stats(q).deadLetters()).as("%s", stats(q)).isEqualTo(1));
    assertThat(new JsonObject(ok("", "redrive", "--queue", q, "--json").out()).getLong("redriven")).isEqualTo(1);
    assertThat(stats(q).ready()).isEqualTo(1);
    assertThat(ok("", "consume", "-q", q, "--max", "1").out()).isEqualTo("m0\n");
  }

  @Test
  void requestPrintsTheReply(TestInfo info) {
    String address = unique(info);
    vertx.eventBus().<Buffer>consumer(address, m -> m.reply(Buffer.buffer(m.body().toString().toUpperCase())))
      .completion().await();
    assertThat(ok("", "request", address, "hello").out()).isEqualTo("HELLO\n");
    JsonObject json = new JsonObject(ok("from stdin", "request", "--json", address, "-").out());
    assertThat(json.getString("data")).isEqualTo("FROM STDIN");
    assertThat(json.getString("address")).isEqualTo(address);
  }

  @Test
  void clusterShowsThisNode() {
    JsonObject json = new JsonObject(ok("", "cluster", "--json").out());
    assertThat(json.getString("node")).isEqualTo(broker.nodeId());
    assertThat(ok("", "cluster").out()).contains("node " + broker.nodeId()).contains("MEMBER");
  }

  @Test
  void usageErrorsExitOne() {
    for (String[] args : List.of(new String[] {"publish", "x"}, new String[] {"consume", "--queue", "q", "--bogus"},
        new String[] {"publish", "--queue", "a", "--topic", "b", "x"}, new String[] {"nosuchcommand"},
        new String[] {"stats"}, new String[] {"consume", "-q", "q", "--idle", "soon"})) {
      Run r = run("", args);
      assertThat(r.code()).as("%s: %s", List.of(args), r).isEqualTo(Exit.USAGE);
      assertThat(r.err()).as("%s", r).startsWith("ferrymq: ").doesNotContain("Exception");
    }
    Run badName = run("", "publish", "--queue", "no spaces", "x");
    assertThat(badName.code()).as("%s", badName).isEqualTo(Exit.USAGE);
    assertThat(badName.err()).as("the node's problem in plain words").startsWith("ferrymq: Bad Request: ")
      .doesNotContain("\"type\"").doesNotContain("urn:ferrymq");
    Run badFrom = run("", "subscribe", "--topic", "t", "--from", "yesterday");
    assertThat(badFrom.code()).as("%s", badFrom).isEqualTo(Exit.USAGE);
    assertThat(ok("", "--help").out()).contains("Exit codes").contains("publish").contains("token");
    assertThat(ok("", "--version").out()).startsWith("ferrymq 0.1.0");
    assertThat(ok("", "help", "consume").out()).contains("--no-ack");
  }

  @Test
  void notFoundExitsTwo() {
    Run r = run("", "stats", "never-made");
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.NOT_FOUND);
    assertThat(r.err()).isEqualTo("ferrymq: no queue or topic named never-made\n");
    assertThat(run("", "purge", "never-made").code()).isEqualTo(Exit.NOT_FOUND);
  }

  @Test
  void unauthorizedAndForbiddenExitThree(TestInfo info) {
    String q = unique(info);
    Map<String, String> env = Map.of(FerryCommand.URL_ENV, authUrl);
    Run none = run("", env, "queues");
    assertThat(none.code()).as("%s", none).isEqualTo(Exit.REFUSED);
    assertThat(none.err()).contains("Unauthorized").contains("--token or FERRYMQ_TOKEN");

    String publisher = token(new JsonObject().put("publish", new JsonArray().add(q)));
    Run forbidden = run("", env, "--token", publisher, "queues");
    assertThat(forbidden.code()).as("%s", forbidden).isEqualTo(Exit.REFUSED);
    assertThat(forbidden.err()).startsWith("ferrymq: Forbidden");
    Run allowed = run("", Map.of(FerryCommand.URL_ENV, authUrl, FerryCommand.TOKEN_ENV, publisher),
      "publish", "--queue", q, "x");
    assertThat(allowed.code()).as("the token from FERRYMQ_TOKEN: %s", allowed).isZero();
    Run bad = run("", env, "--token", publisher + "x", "publish", "--queue", q, "x");
    assertThat(bad.code()).as("%s", bad).isEqualTo(Exit.REFUSED);
    assertThat(bad.err()).contains("the token was not accepted");
  }

  @Test
  void unreachableOrUnavailableExitsFour() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run r = run("", "--url", "http://127.0.0.1:" + closedPort, "queues");
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).startsWith("ferrymq: cannot reach a node at http://127.0.0.1:" + closedPort)
      .contains("connection refused");
    Run noHandler = run("", "request", "nobody-listens-here", "x");
    assertThat(noHandler.code()).as("503 no handler: %s", noHandler).isEqualTo(Exit.UNAVAILABLE);
    assertThat(noHandler.err()).startsWith("ferrymq: Service Unavailable: ");
  }

  @Test
  void httpsWithTheNodesOwnCertificate(TestInfo info) {
    io.vertx.core.net.SelfSignedCertificate cert = io.vertx.core.net.SelfSignedCertificate.create("localhost");
    GatewayVerticle tls = new GatewayVerticle(broker, new GatewayOptions().setPort(0)
      .setTls(cert.privateKeyPath(), cert.certificatePath()));
    String deployment = vertx.deployVerticle(tls).await();
    String https = "https://localhost:" + tls.actualPort();
    String q = unique(info);
    Run trusted = run("", Map.of(FerryCommand.URL_ENV, https, FerryCommand.CACERT_ENV, cert.certificatePath()),
      "publish", "--queue", q, "over tls");
    assertThat(trusted.code()).as("%s", trusted).isZero();
    assertThat(stats(q).ready()).isEqualTo(1);
    Run untrusted = run("", Map.of(FerryCommand.URL_ENV, https), "queues");
    assertThat(untrusted.code()).as("%s", untrusted).isEqualTo(Exit.UNAVAILABLE);
    assertThat(untrusted.err()).startsWith("ferrymq: no TLS connection to " + https).contains("--cacert");
    Run missing = run("", Map.of(FerryCommand.URL_ENV, https), "--cacert", "/nonexistent.pem", "queues");
    assertThat(missing.code()).as("%s", missing).isEqualTo(Exit.NOT_FOUND);
    vertx.undeploy(deployment).await();
  }

  @Test
  void argumentsThatNameACommandGoToTheClient() {
    assertThat(Cli.isCommand(new String[0])).isFalse();
    assertThat(Cli.isCommand(new String[] {"--port", "8080", "--cluster"})).isFalse();
    assertThat(Cli.isCommand(new String[] {"--self-test"})).isFalse();
    assertThat(Cli.isCommand(new String[] {"queues"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"token", "--admin"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"--url", "http://x:1", "--json", "queues"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"--cacert=ca.pem", "--token", "t", "stats", "q"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"--help"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"--version"})).isTrue();
  }

  static String token(JsonObject grants) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm("HS256").setBuffer(SECRET)));
    return jwt.generateToken(new JsonObject().put("sub", "cli-test").put("ferrymq", grants),
      new JWTOptions().setAlgorithm("HS256").setExpiresInMinutes(10));
  }
}
