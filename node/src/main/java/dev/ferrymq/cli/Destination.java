package dev.ferrymq.cli;

import picocli.CommandLine.Option;

/** {@code --queue Q} or {@code --topic T}: exactly one (a picocli argument group). */
final class Destination {

  @Option(names = {"-q", "--queue"}, required = true, paramLabel = "QUEUE", description = "a queue")
  String queue;

  @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "a topic")
  String topic;

  static Destination queue(String name) {
    Destination d = new Destination();
    d.queue = name;
    return d;
  }

  static Destination topic(String name) {
    Destination d = new Destination();
    d.topic = name;
    return d;
  }

  boolean isQueue() {
    return queue != null;
  }

  String name() {
    return isQueue() ? queue : topic;
  }

  /** @return {@code queue} or {@code topic}: the word people read, and the field of JSON lines */
  String kind() {
    return isQueue() ? "queue" : "topic";
  }

  /** @return {@code /queues/<name>} or {@code /topics/<name>} */
  String path() {
    return (isQueue() ? "/queues/" : "/topics/") + NodeClient.segment(name());
  }

  @Override
  public String toString() {
    return kind() + " " + name();
  }
}
