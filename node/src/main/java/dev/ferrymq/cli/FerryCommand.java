package dev.ferrymq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ferrymq}: the top command; its options apply to every command and may come before or after it. */
@Command(name = "ferrymq", mixinStandardHelpOptions = true,
  versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
  description = {"The FerryMQ command-line client: talks to a node over its HTTP API.",
    "With no command, starts a node instead (see the end of this text)."},
  subcommands = {CommandLine.HelpCommand.class, PublishCommand.class, SubscribeCommand.class, ConsumeCommand.class,
    RequestCommand.class, QueuesCommand.class, TopicsCommand.class, StatsCommand.class, PurgeCommand.class,
    RedriveCommand.class, ClusterCommand.class},
  footerHeading = "%n",
  footer = {"Environment: FERRYMQ_URL (the node), FERRYMQ_TOKEN (a JWT: 'ferrymq token'), FERRYMQ_CACERT.",
    "Exit codes: 0 ok, 1 usage or bad request, 2 not found,",
    "  3 refused or unauthorized, 4 unavailable (node unreachable, 503, other 5xx).",
    "",
    "With no command, a node starts:",
    "  ferrymq [--config node.json] [--host ADDRESS] [--port PORT] [--insecure]",
    "          [--cluster [--node I] [--hazelcast-config FILE]] [--echo ADDRESS]",
    "More: docs/OPERATIONS.md (the command-line client) and docs/HTTP.md."})
final class FerryCommand implements Callable<Integer> {

  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final String URL_ENV = "FERRYMQ_URL";
  static final String TOKEN_ENV = "FERRYMQ_TOKEN";
  static final String CACERT_ENV = "FERRYMQ_CACERT";

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
    description = "the node's HTTP address (default: $FERRYMQ_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "JWT",
    description = "bearer token for a node with auth (default: $FERRYMQ_TOKEN)")
  String token;

  @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "PEM",
    description = "for https: trust the certificates in this PEM file (default: $FERRYMQ_CACERT, else the JVM's)")
  String cacert;

  @Option(names = "--json", scope = ScopeType.INHERIT,
    description = "JSON for scripts: one document, or one line per message for streams")
  boolean json;

  @Option(names = "--progress", scope = ScopeType.INHERIT,
    description = "progress of long publishes and consumes on stderr (default: when stderr is a terminal)")
  boolean progress;

  @Spec
  CommandSpec spec;

  final Io io;
  private NodeClient client;

  FerryCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.warn("a command is missing");
    spec.commandLine().usage(io.err());
    return Exit.USAGE;
  }

  /** @return the client of the node named by {@code --url} / {@code FERRYMQ_URL} */
  NodeClient client() {
    if (client == null) {
      String u = url != null ? url : io.env().getOrDefault(URL_ENV, DEFAULT_URL);
      String ca = cacert != null ? cacert : io.env().get(CACERT_ENV);
      client = new NodeClient(u, token != null ? token : io.env().get(TOKEN_ENV), ca);
    }
    return client;
  }

  /** @return a progress line on stderr for {@code verb} ("published"), shown if asked or stderr is a terminal */
  Progress progress(String verb) {
    return new Progress(io.err(), progress || io.stderrIsTerminal(), verb);
  }
}
