package dev.ferrymq.server;

/** A configuration value the node cannot use; its message says which and why, in plain words. */
final class ConfigException extends RuntimeException {

  ConfigException(String message) {
    super(message, null, false, false);
  }
}
