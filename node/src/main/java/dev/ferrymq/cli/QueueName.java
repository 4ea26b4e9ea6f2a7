package dev.ferrymq.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A queue named as {@code QUEUE} or {@code --queue QUEUE} (a picocli mixin). */
final class QueueName {

  @Parameters(arity = "0..1", paramLabel = "QUEUE", description = "the queue (or --queue QUEUE)")
  String positional;

  @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "the queue")
  String option;

  /** @return the queue's name; none or two different ones is a usage error */
  String name() {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new CliException(Exit.USAGE, "two queues named: " + positional + " and --queue " + option);
    }
    String name = positional != null ? positional : option;
    if (name == null) {
      throw new CliException(Exit.USAGE, "name a queue: QUEUE or --queue QUEUE");
    }
    return name;
  }

  /** @return {@code /queues/<name>} */
  String path() {
    return "/queues/" + NodeClient.segment(name());
  }
}
