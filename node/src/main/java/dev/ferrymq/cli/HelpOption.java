package dev.ferrymq.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on every command (a picocli mixin; {@code --version} is the top command's only). */
public final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
