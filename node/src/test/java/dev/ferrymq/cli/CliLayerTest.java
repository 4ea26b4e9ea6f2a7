package dev.ferrymq.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The client's place in the node module (docs/ARCHITECTURE.md): it uses the library's public API only (it is a client
 * of a node's HTTP API, not a part of one), {@code server} may use it, and it never uses {@code server}.
 */
class CliLayerTest {

  private static final JavaClasses NODE = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
    .withImportOption(location -> location.contains("/node/") || location.contains("ferrymq-node"))
    .importPackages("dev.ferrymq.cli", "dev.ferrymq.server");

  @Test
  void theClientUsesOnlyThePublicApi() {
    noClasses().that().resideInAPackage("dev.ferrymq.cli..").should().dependOnClassesThat()
      .resideInAnyPackage("dev.ferrymq.server..", "dev.ferrymq.broker..", "dev.ferrymq.http..", "dev.ferrymq.queue..",
        "dev.ferrymq.topic..", "dev.ferrymq.cluster..", "dev.ferrymq.store..", "dev.ferrymq.internal..",
        "dev.ferrymq.spi..")
      .check(NODE);
  }

  @Test
  void noCycleBetweenServerAndClient() {
    slices().matching("dev.ferrymq.(*)..").should().beFreeOfCycles().check(NODE);
  }
}
