package dev.ferrymq.server;

import dev.ferrymq.Broker;
import dev.ferrymq.BrokerOptions;
import dev.ferrymq.GatewayOptions;
import dev.ferrymq.GatewayVerticle;
import dev.ferrymq.StoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone node: a broker and its HTTP gateway on one Vert.x.
 *
 * <pre>
 * java -jar ferrymq-all.jar [--config node.json] [--host 127.0.0.1] [--port 8080]
 *                            [--cluster [--node I] [--hazelcast-config cluster-config/hazelcast.xml]]
 *                            [--echo ADDRESS]
 * </pre>
 *
 * With {@code --cluster} the node joins a Hazelcast cluster (config {@code cluster-config/hazelcast.xml} by
 * default) on a clustered Vert.x; {@code --node I} sets its HTTP port to 8080 + I and its Hazelcast port to 5700 + I.
 * The config file holds {@code {"broker":{...BrokerOptions JSON...},"gateway":{...GatewayOptions JSON...}}}; both
 * parts are optional and {@code --host}/{@code --port} override the gateway's. {@code --echo ADDRESS} adds a responder
 * that answers every request on that event-bus address with its own bytes and headers (what {@code scripts/bench w4}
 * measures over HTTP, and a smoke test for request/reply). Stops cleanly on SIGTERM or Ctrl-C.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /** Parses the arguments, starts the node and returns; a shutdown hook stops it. */
  public static void main(String[] args) throws Exception {
    JsonObject config = new JsonObject();
    String host = null;
    Integer port = null;
    boolean cluster = false;
    int node = 0;
    int hazelcastPort = 0;
    String clusterHost = "127.0.0.1";
    String echo = null;
    String home = System.getProperty("ferrymq.home");
    String hazelcastConfig = home == null ? NodeVertx.DEFAULT_CLUSTER_CONFIG
      : Path.of(home, NodeVertx.DEFAULT_CLUSTER_CONFIG).toString();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.matches("--(config|host|port|node|hazelcast-config|hazelcast-port|cluster-host|echo)")
        && i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      switch (a) {
        case "--config" -> config = new JsonObject(Files.readString(Path.of(args[++i])));
        case "--host" -> host = args[++i];
        case "--port" -> port = parsePort(args[++i]);
        case "--cluster" -> cluster = true;
        case "--node" -> node = parsePort(args[++i]);
        case "--hazelcast-config" -> hazelcastConfig = args[++i];
        case "--hazelcast-port" -> hazelcastPort = parsePort(args[++i]);
        case "--cluster-host" -> clusterHost = args[++i];
        case "--echo" -> echo = dev.ferrymq.broker.Names.check(args[++i]);
        case "-h", "--help" -> usage(null);
        default -> usage("unknown argument " + a);
      }
    }
    JsonObject brokerJson = config.getJsonObject("broker", new JsonObject());
    BrokerOptions brokerOptions = new BrokerOptions(brokerJson);
    if (cluster && !brokerJson.containsKey("store")) {
      // A per-node file is no store for a cluster: ownership moves between nodes. Without a shared PostgreSQL
      // the cluster keeps messages in replicated memory (they survive node loss, not a full restart).
      brokerOptions.setStore(new StoreOptions().setType(StoreOptions.Type.NONE));
      LOG.warn("cluster node without a shared store: messages survive the loss of a node, not a full restart "
        + "(configure broker.store with type postgres, see docs/PERSISTENCE.md)");
    }
    GatewayOptions gatewayOptions = new GatewayOptions(config.getJsonObject("gateway", new JsonObject()));
    if (host != null) {
      gatewayOptions.setHost(host);
    }
    if (port != null) {
      gatewayOptions.setPort(port);
    } else if (node > 0) {
      gatewayOptions.setPort(8080 + node);
    }
    // Our hook closes the broker (and so Hazelcast) in order; Hazelcast's own hook would race with it.
    if (System.getProperty("hazelcast.shutdownhook.enabled") == null) {
      System.setProperty("hazelcast.shutdownhook.enabled", "false");
    }
    if (hazelcastPort == 0 && node > 0) {
      hazelcastPort = 5700 + node;
    }
    Vertx vertx = NodeVertx.start(cluster ? hazelcastConfig : null, hazelcastPort, clusterHost)
      .await(180, TimeUnit.SECONDS);
    Broker broker;
    GatewayVerticle gateway;
    String deployment;
    try {
      broker = Broker.create(vertx, brokerOptions).await(120, TimeUnit.SECONDS);
      gateway = new GatewayVerticle(broker, gatewayOptions);
      deployment = vertx.deployVerticle(gateway).await(60, TimeUnit.SECONDS);
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, broker, deployment), "ferrymq-shutdown"));
    System.out.println("FerryMQ listening on http://" + gatewayOptions.getHost() + ":" + gateway.actualPort()
      + " (node " + broker.nodeId() + ")");
    System.out.flush();
  }

  private static void stop(Vertx vertx, Broker broker, String deployment) {
    try {
      System.out.println("FerryMQ stopping");
      vertx.undeploy(deployment).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("gateway stop: {}", e.toString());
    }
    try {
      broker.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
      System.out.println("FerryMQ stopped");
    } catch (Exception e) {
      LOG.warn("stop: {}", e.toString());
    }
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
    System.err.println("usage: ferrymq [--config node.json] [--host ADDRESS] [--port PORT]"
      + " [--cluster [--node I] [--hazelcast-config FILE] [--hazelcast-port N] [--cluster-host ADDRESS]]"
      + " [--echo ADDRESS]");
    System.exit(error == null ? 0 : 2);
  }
}
