package dev.ferrymq.server;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.StoreOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone node: a broker and its HTTP gateway on one Vert.x.
 *
 * <pre>
 * java -jar ferrymq-all.jar [--config node.json] [--host 127.0.0.1] [--port 8080] [--insecure]
 *                            [--cluster [--node I] [--hazelcast-config cluster-config/hazelcast.xml]]
 *                            [--echo ADDRESS] [--access-log] [--drain-time 5s] [--drain-limit 60s]
 *                            [--log-format text|json]
 * java -jar ferrymq-all.jar --self-test [--hazelcast-config cluster-config/hazelcast.xml]
 * java -jar ferrymq-all.jar token --publish 'orders.*' --subscribe '*' --ttl 1h   (see {@link TokenTool})
 * java -jar ferrymq-all.jar publish --queue jobs hello   (any other command: {@link dev.ferrymq.cli.Cli})
 * </pre>
 *
 * <p>Secure by default: without {@code gateway.auth} the node only listens on loopback, and a cluster member only
 * opens its event bus beyond loopback with {@code eventBus} TLS; otherwise it exits with status 3 and says why,
 * unless {@code --insecure} is given.
 *
 * With {@code --cluster} the node joins a Hazelcast cluster (config {@code cluster-config/hazelcast.xml} by
 * default) on a clustered Vert.x; {@code --node I} sets its HTTP port to 8080 + I and its Hazelcast port to 5700 + I.
 * The configuration ({@link NodeConfig}) merges the defaults, the config file, {@code FERRYMQ_*} environment
 * variables ({@link EnvConfig}) and the flags, each over the one before. The config file holds
 * {@code {"broker":{...BrokerOptions JSON...},"gateway":{...GatewayOptions JSON...},"eventBus":{...EventBusTls...},
 * "drain":{"time":"5s","limit":"60s"},"log":{"format":"text","level":"INFO"}}}; all parts are optional;
 * {@code --host}/{@code --port}/{@code --insecure}/{@code --access-log} set the gateway's, {@code --drain-time},
 * {@code --drain-limit} and {@code --log-format} the node's. A bad value ends the node with status 2 and a message.
 * {@code --echo ADDRESS} adds a responder that answers every request on that event-bus address with its own bytes
 * and headers (what {@code scripts/bench w4} measures over HTTP). On SIGTERM or Ctrl-C it drains ({@link Drain}) and
 * exits with status 0.
 *
 * <p>{@code --self-test} starts a clustered node alone (its Hazelcast config with this member as the only one, on
 * free ports, a cluster name of its own), sends, leases and acks one message and publishes one over HTTP, stops and
 * exits with status 0 if all of it worked. {@code scripts/ferrymq} runs it once per build of the jar to record the
 * classes a node loads in a class-data-sharing archive, which the nodes then start from (docs/CLUSTER.md, "Rejoin").
 *
 * <p>The node logs how long each start-up step took after the JVM started ({@code started in ... ms after JVM start}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /** Parses the arguments, starts the node and returns; SIGTERM or Ctrl-C drains and stops it ({@link Signals}). */
  public static void main(String[] args) throws Exception {
    if (dev.ferrymq.cli.Cli.isCommand(args)) { // a client command (docs/OPERATIONS.md), not a node
      System.exit(dev.ferrymq.cli.Cli.run(args, System.in, System.out, System.err, System.getenv(), new TokenTool()));
      return;
    }
    logUncaughtErrors();
    String configFile = null;
    JsonObject flags = new JsonObject();
    int eventBusPort = 0;
    boolean cluster = false;
    int node = 0;
    int hazelcastPort = 0;
    String clusterHost = "127.0.0.1";
    String echo = null;
    boolean selfTest = false;
    String home = System.getProperty("ferrymq.home");
    String hazelcastConfig = home == null ? NodeVertx.DEFAULT_CLUSTER_CONFIG
      : Path.of(home, NodeVertx.DEFAULT_CLUSTER_CONFIG).toString();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.matches("--(config|host|port|node|hazelcast-config|hazelcast-port|cluster-host|event-bus-port|echo"
        + "|drain-time|drain-limit|log-format)") && i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      switch (a) {
        case "--config" -> configFile = args[++i];
        case "--host" -> flag(flags, "gateway", "host", args[++i]);
        case "--port" -> flag(flags, "gateway", "port", parsePort(args[++i]));
        case "--cluster" -> cluster = true;
        case "--node" -> node = parsePort(args[++i]);
        case "--hazelcast-config" -> hazelcastConfig = args[++i];
        case "--hazelcast-port" -> hazelcastPort = parsePort(args[++i]);
        case "--cluster-host" -> clusterHost = args[++i];
        case "--event-bus-port" -> eventBusPort = parsePort(args[++i]);
        case "--insecure" -> flag(flags, "gateway", "insecure", true);
        case "--access-log" -> flag(flags, "gateway", "accessLog", true);
        case "--drain-time" -> flag(flags, "drain", "time", args[++i]);
        case "--drain-limit" -> flag(flags, "drain", "limit", args[++i]);
        case "--log-format" -> flag(flags, "log", "format", args[++i]);
        case "--self-test" -> selfTest = true;
        case "--echo" -> echo = dev.ferrymq.Names.check(args[++i]);
        case "-h", "--help" -> usage(null);
        default -> usage("unknown argument " + a);
      }
    }
    if (selfTest) {
      cluster = true;
      flag(flags, "gateway", "port", 0);
      node = 0;
      hazelcastPort = SelfTest.freePort();
    }
    if (node > 0 && !flags.getJsonObject("gateway", new JsonObject()).containsKey("port")) {
      flag(flags, "gateway", "port", 8080 + node);
    }
    NodeConfig config;
    try {
      config = NodeConfig.load(configFile, System.getenv(), flags);
    } catch (ConfigException e) {
      System.err.println("ferrymq: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logs.apply(config.logFormat, config.logLevel);
    LOG.info("configuration (defaults < file < environment < flags; secrets masked): {}", config.masked().encode());
    BrokerOptions brokerOptions = config.broker;
    if (cluster && node > 0 && !config.json.getJsonObject("broker", new JsonObject()).containsKey("store")) {
      // Each node its own journal (SQLite): node I of one machine's cluster keeps it in data/node-I.
      brokerOptions.setStore(new StoreOptions().setDataDir(Path.of(StoreOptions.DEFAULT_DATA_DIR, "node-" + node)
        .toString()));
    }
    GatewayOptions gatewayOptions = config.gateway;
    EventBusTls eventBusTls = config.eventBus;
    String refusal = gatewayOptions.refusal();
    if (refusal == null && cluster && eventBusTls == null && !gatewayOptions.isInsecure()
      && !GatewayOptions.isLoopback(clusterHost)) {
      refusal = "refusing to open the clustered event bus on " + clusterHost + " without TLS: configure"
        + " \"eventBus\":{\"keyFile\",\"certFile\",\"trustFile\"} (see docs/SECURITY.md) or pass --insecure";
    }
    if (refusal != null) {
      System.err.println("ferrymq: " + refusal);
      System.exit(3);
      return;
    }
    // Our drain closes the broker (and so Hazelcast) in order; Hazelcast's own hook would race with it.
    if (System.getProperty("hazelcast.shutdownhook.enabled") == null) {
      System.setProperty("hazelcast.shutdownhook.enabled", "false");
    }
    if (hazelcastPort == 0 && node > 0) {
      hazelcastPort = 5700 + node;
    }
    StartTimes times = new StartTimes();
    Vertx vertx = NodeVertx.start(cluster ? hazelcastConfig : null, hazelcastPort, clusterHost, eventBusPort,
        eventBusTls, selfTest, times)
      .await(180, TimeUnit.SECONDS);
    times.vertx = StartTimes.now();
    Broker broker;
    GatewayVerticle gateway;
    String deployment;
    try {
      broker = Broker.create(vertx, brokerOptions).await(120, TimeUnit.SECONDS);
      times.broker = StartTimes.now();
      gateway = new GatewayVerticle(broker, gatewayOptions);
      deployment = vertx.deployVerticle(gateway).await(60, TimeUnit.SECONDS);
      times.gateway = StartTimes.now();
      if (echo != null) {
        vertx.eventBus().<Object>consumer(echo, m -> m.reply(m.body(),
          new io.vertx.core.eventbus.DeliveryOptions().setHeaders(m.headers()))).completion().await(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.error("FerryMQ failed to start: {}", e.getMessage());
      vertx.close().await(30, TimeUnit.SECONDS);
      System.exit(1);
      return;
    }
    LOG.info("started in {} ms after JVM start: {}", times.gateway, times);
    if (selfTest) {
      boolean ok = SelfTest.run(gateway.actualPort());
      new Drain(vertx, broker, gateway, deployment, java.time.Duration.ZERO, config.drainLimit).run("self-test done");
      System.exit(ok ? 0 : 1);
      return;
    }
    Drain drain = new Drain(vertx, broker, gateway, deployment, config.drainTime, config.drainLimit);
    Signals.onStop(drain);
    System.out.println("FerryMQ listening on http://" + gatewayOptions.getHost() + ":" + gateway.actualPort()
      + " (node " + broker.nodeId() + ")");
    System.out.flush();
  }

  /**
   * Logs the error that ends a thread, once, instead of the JVM's bare stack trace on stderr (or nothing, for pools
   * that swallow it). An {@link OutOfMemoryError} never gets here: the node runs with
   * {@code -XX:+ExitOnOutOfMemoryError} (scripts/ferrymq) and exits for its supervisor to restart it.
   */
  static void logUncaughtErrors() {
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      try {
        LOG.error("thread {} ended with an uncaught error", thread.getName(), error);
      } catch (Throwable logging) { // the logger itself failed (out of memory, closed stream): the plain way
        System.err.println("ferrymq: thread " + thread.getName() + " ended with an uncaught error: " + error);
      }
    });
  }

  /** Adds {@code part.key = value} to the flags' layer of the config. */
  private static void flag(JsonObject flags, String part, String key, Object value) {
    JsonObject p = flags.getJsonObject(part);
    if (p == null) {
      p = new JsonObject();
      flags.put(part, p);
    }
    p.put(key, value);
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      usage("--port needs a number");
      return 0;
    }
  }

  private static void usage(String error) {
    if (error != null) {
      System.err.println("ferrymq: " + error);
    }
    System.err.println("usage: ferrymq [--config node.json] [--host ADDRESS] [--port PORT] [--insecure]"
      + " [--cluster [--node I] [--hazelcast-config FILE] [--hazelcast-port N] [--cluster-host ADDRESS]"
      + " [--event-bus-port N]] [--echo ADDRESS] [--access-log] [--drain-time 5s] [--drain-limit 60s]"
      + " [--log-format text|json]\n       ferrymq --self-test [--hazelcast-config FILE]\n       ferrymq token [--publish P]... [--subscribe P]... [--consume P]..."
      + " [--request P]... [--admin] [--ttl 1h] [--sub NAME] [--config node.json | --secret-file F | --key F --alg A]");
    System.exit(error == null ? 0 : 2);
  }
}
