package dev.ferrymq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, kept: the public API depends on nothing behind it; the node (composition root)
 * on the owners; the owners on placement (cluster), the store and the metrics; the gateway (and the Mercure hub's rules
 * behind it) on the public API only; no package cycle anywhere.
 */
class ArchitectureTest {

  private static final String API = "dev.ferrymq";
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(API);
  }

  @Test
  void noPackageCycles() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        return c.getPackageName().startsWith(API) ? SliceIdentifier.of(c.getPackageName())
          : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "each FerryMQ package";
      }
    }).should().beFreeOfCycles().check(classes);
  }

  @Test
  void layers() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("API").definedBy(API, API + ".spi")
      .layer("Internal").definedBy(API + ".internal..")
      .layer("Store").definedBy(API + ".store..")
      .layer("Metrics").definedBy(API + ".metrics..")
      .layer("Cluster").definedBy(API + ".cluster..")
      .layer("Destinations").definedBy(API + ".queue..", API + ".topic..")
      .layer("Routing").definedBy(API + ".shard..")
      .layer("Node").definedBy(API + ".broker..")
      .layer("Gateway").definedBy(API + ".http..")
      .layer("Mercure").definedBy(API + ".mercure..")
      .whereLayer("Node").mayNotBeAccessedByAnyLayer()
      .whereLayer("Gateway").mayNotBeAccessedByAnyLayer()
      .whereLayer("Mercure").mayOnlyBeAccessedByLayers("Gateway")
      .whereLayer("Routing").mayOnlyBeAccessedByLayers("Node")
      .whereLayer("Destinations").mayOnlyBeAccessedByLayers("Node")
      .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Destinations", "Node")
      .whereLayer("Store").mayOnlyBeAccessedByLayers("Cluster", "Destinations", "Node")
      .whereLayer("Internal").mayOnlyBeAccessedByLayers("Cluster", "Destinations", "Node")
      .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Cluster", "Destinations", "Node")
      .check(classes);
  }

  @Test
  void publicApiDependsOnNothingBehindIt() {
    noClasses().that().resideInAnyPackage(API, API + ".spi").should().dependOnClassesThat()
      .resideInAnyPackage(API + ".internal..", API + ".store..", API + ".cluster..", API + ".queue..",
        API + ".topic..", API + ".broker..", API + ".http..", API + ".metrics..")
      .check(classes);
  }

  @Test
  void partitionRoutingUsesOnlyThePublicApi() {
    noClasses().that().resideInAPackage(API + ".shard..").should().dependOnClassesThat()
      .resideInAnyPackage(API + ".internal..", API + ".store..", API + ".cluster..", API + ".queue..",
        API + ".topic..", API + ".broker..", API + ".http..", API + ".spi..")
      .check(classes);
  }

  @Test
  void gatewayUsesOnlyThePublicApi() {
    noClasses().that().resideInAnyPackage(API + ".http..", API + ".mercure..").should().dependOnClassesThat()
      .resideInAnyPackage(API + ".internal..", API + ".store..", API + ".cluster..", API + ".queue..",
        API + ".topic..", API + ".broker..", API + ".spi..", API + ".metrics..")
      .check(classes);
  }
}
