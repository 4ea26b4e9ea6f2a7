package dev.ferrymq.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line client: {@code ferrymq <command>}. The runnable jar's {@code Main} hands it the arguments when they
 * name a command ({@link #isCommand}); with none it starts a node instead.
 *
 * <pre>
 * ferrymq publish --queue jobs 'hello'          ferrymq consume --queue jobs --max 10
 * seq 1000 | ferrymq publish --topic t -        ferrymq subscribe --topic t --from earliest
 * ferrymq queues --json                         ferrymq stats jobs
 * </pre>
 */
public final class Cli {

  private static final Set<String> GLOBAL_WITH_VALUE = Set.of("--url", "--token", "--cacert");
  private static final Set<String> GLOBAL_FLAGS = Set.of("--json", "--progress");
  private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

  private Cli() {
  }

  /**
   * @return whether {@code args} are for the client: a command (a first word that is not an option) or help/version,
   *   perhaps after the client's own options ({@code --url}, {@code --token}, {@code --cacert}, {@code --json},
   *   {@code --progress})
   */
  public static boolean isCommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (GLOBAL_WITH_VALUE.contains(a)) {
        i++;
      } else if (!GLOBAL_FLAGS.contains(a) && GLOBAL_WITH_VALUE.stream().noneMatch(o -> a.startsWith(o + "="))) {
        return !a.startsWith("-") || HELP.contains(a);
      }
    }
    return args.length > 0;
  }

  /**
   * Runs one command to its end.
   *
   * @param more further commands (picocli command objects), e.g. the node's {@code token}
   * @return the exit code: 0 ok, 1 usage, 2 not found, 3 refused or unauthorized, 4 unavailable
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                        Object... more) {
    Io io = new Io(in, out, err, env);
    CommandLine line = new CommandLine(new FerryCommand(io));
    for (Object command : more) {
      line.addSubcommand(command);
      line.getSubcommands().values().stream().filter(c -> c.getCommand() == command)
        .forEach(c -> withoutClientOptions(c.getCommandSpec()));
    }
    line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
      .setParameterExceptionHandler((e, a) -> {
        io.warn(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, io.err());
        io.err().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
        return Exit.USAGE;
      })
      .setExecutionExceptionHandler((e, c, parsed) -> {
        if (e instanceof CliException f) {
          io.warn(f.getMessage());
          return f.exitCode();
        }
        io.warn("unexpected error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        return Exit.USAGE;
      });
    int code = line.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** A command that does not talk to a node (the token tool) takes none of the client's options. */
  private static void withoutClientOptions(CommandSpec spec) {
    for (OptionSpec o : spec.options().toArray(new OptionSpec[0])) {
      if (o.inherited() && (GLOBAL_WITH_VALUE.contains(o.longestName()) || GLOBAL_FLAGS.contains(o.longestName()))) {
        spec.remove(o);
      }
    }
  }
}
