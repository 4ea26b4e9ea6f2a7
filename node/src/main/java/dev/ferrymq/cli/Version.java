package dev.ferrymq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build's version, from a resource Maven fills in. */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"ferrymq " + version(), "Java " + System.getProperty("java.version")};
  }

  static String version() {
    try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
      return in == null ? "(unknown version)" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "(unknown version)";
    }
  }
}
