package dev.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.instance.BuildInfoProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The library as an application gets it (after {@code package}): the broker, the gateway and their API, but no
 * load generator, no node main, no logging backend in the jar or among its run-time dependencies.
 */
class LibraryJarIT {

  private static final Path TARGET = Path.of("target");

  @Test
  void jarHoldsNoBenchNoServerNoLoggingBackend() throws IOException {
    Path jar;
    try (var files = Files.list(TARGET)) {
      jar = files.filter(p -> p.getFileName().toString().matches("ferrymq-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
        .findFirst().orElseThrow(() -> new AssertionError("no library jar in " + TARGET.toAbsolutePath()));
    }
    try (JarFile jf = new JarFile(jar.toFile())) {
      List<String> names = jf.stream().map(e -> e.getName()).toList();
      assertThat(names).as("entries of " + jar).contains("dev/ferrymq/Broker.class",
        "dev/ferrymq/http/GatewayVerticle.class", "META-INF/services/dev.ferrymq.BrokerFactory");
      assertThat(names).as("entries of " + jar).noneMatch(n -> n.startsWith("dev/ferrymq/bench/")
        || n.startsWith("dev/ferrymq/server/") || n.startsWith("org/slf4j/") || n.startsWith("ch/qos/logback/")
        || n.equals("simplelogger.properties") || n.startsWith("logback") || n.startsWith("org/HdrHistogram/"));
      var manifest = jf.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Main-Class")).as("Main-Class").isNull();
      assertThat(manifest.getValue("Automatic-Module-Name")).isEqualTo("dev.ferrymq");
    }
  }

  @Test
  void runtimeDependenciesBringNoLoggingBackendNorLoadGenerator() throws IOException {
    Path cp = TARGET.resolve("runtime-classpath.txt");
    List<String> jars = Arrays.stream(Files.readString(cp).split(java.io.File.pathSeparator))
      .map(p -> Path.of(p.trim()).getFileName().toString()).toList();
    // HdrHistogram comes with Micrometer (the metrics' histograms), not with the load generator (checked above).
    assertThat(jars).as("run-time class path of the library").anyMatch(j -> j.startsWith("vertx-core-"))
      .anyMatch(j -> j.startsWith("slf4j-api-")).anyMatch(j -> j.startsWith("micrometer-core-"))
      .noneMatch(j -> j.startsWith("slf4j-simple") || j.startsWith("logback-") || j.startsWith("log4j-slf4j")
        || j.startsWith("slf4j-reload4j") || j.startsWith("ferrymq-bench"));
  }

  /** The BOM hands applications the Hazelcast the library is built and tested with. */
  @Test
  void bomPinsTheHazelcastTheLibraryIsTestedWith() throws IOException {
    String bom = Files.readString(Path.of("..", "bom", "pom.xml"));
    Matcher m = Pattern.compile("<artifactId>hazelcast</artifactId>\\s*<version>([^<]+)</version>").matcher(bom);
    assertThat(m.find()).as("hazelcast in bom/pom.xml").isTrue();
    assertThat(m.group(1)).isEqualTo(BuildInfoProvider.getBuildInfo().getVersion());
  }
}
