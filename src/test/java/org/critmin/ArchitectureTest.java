package org.critmin;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the compiled classes; a failure names each
 * offending class and the dependency. Stages talk only through the table contract; the regression
 * engine and the SQL endpoint are libraries that know nothing of critmin; storage knows nothing of
 * the runner, the command line or the stages; and no two packages depend on each other.
 */
class ArchitectureTest {
  private static final String[] STAGES = {"org.critmin.ingest..", "org.critmin.refine..",
      "org.critmin.concentration..", "org.critmin.shocks..", "org.critmin.scenarios..",
      "org.critmin.report..", "org.critmin.maintain.."};
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
        .withImportOption(new ImportOption.DoNotIncludeJars()).importPackages("org.critmin");
  }

  @Test
  void stagesNeverImportEachOther() {
    slices().matching("org.critmin.(ingest|refine|concentration|shocks|scenarios|report|maintain)..")
        .should().notDependOnEachOther().check(classes);
  }

  @Test
  void theRegressionEngineAndTheSqlEndpointDependOnNothingOfCritmin() {
    for (String library : new String[] {"org.critmin.stats..", "org.critmin.serve.."}) {
      noClasses().that().resideInAPackage(library)
          .should().dependOnClassesThat(and(resideInAPackage("org.critmin.."),
              resideOutsideOfPackage(library)))
          .check(classes);
    }
  }

  @Test
  void storageKnowsNothingOfTheRunnerTheCommandLineOrTheStages() {
    noClasses().that().resideInAPackage("org.critmin.delta..")
        .should().dependOnClassesThat().resideInAnyPackage(withRunnerAndCli(STAGES))
        .check(classes);
  }

  @Test
  void configurationAndReferenceDataKnowNothingOfStorageOrRuns() {
    noClasses().that().resideInAnyPackage("org.critmin.config..", "org.critmin.reference..")
        .should().dependOnClassesThat().resideInAnyPackage(withRunnerAndCli(
            append(STAGES, "org.critmin.delta..", "org.critmin.stats..")))
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.critmin.(*)..").should().beFreeOfCycles().check(classes);
  }

  private static String[] withRunnerAndCli(String[] packages) {
    return append(packages, "org.critmin.run..", "org.critmin.cli..");
  }

  private static String[] append(String[] packages, String... more) {
    String[] all = java.util.Arrays.copyOf(packages, packages.length + more.length);
    System.arraycopy(more, 0, all, packages.length, more.length);
    return all;
  }
}
