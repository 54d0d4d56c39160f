package org.cropcast.pipeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of pipeline-app read top-down and import only downward:
 * {@code Cropcast} → {@code cli} (commands and printing) and {@code wiring} (the composition root)
 * → {@code runs} (the use cases and the process context) → {@code demo} → {@code stages} →
 * {@code report} → {@code model} → {@code data} → {@code config} → {@code errors} (the shared error
 * codes). {@code yaml} (the document writer adapter) is used by the composition root alone.
 */
class PackageOrderTest {
    private static final String APP = "org.cropcast.pipeline";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(APP);

    @Test
    void packagesImportOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("main").definedBy(APP)
                .layer("cli").definedBy(APP + ".cli..")
                .layer("wiring").definedBy(APP + ".wiring..")
                .layer("yaml").definedBy(APP + ".yaml..")
                .layer("runs").definedBy(APP + ".runs..")
                .layer("demo").definedBy(APP + ".demo..")
                .layer("stages").definedBy(APP + ".stages..")
                .layer("report").definedBy(APP + ".report..")
                .layer("model").definedBy(APP + ".model..")
                .layer("data").definedBy(APP + ".data..")
                .layer("config").definedBy(APP + ".config..")
                .layer("errors").definedBy(APP + ".errors..")
                .whereLayer("main").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("main")
                .whereLayer("yaml").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("runs").mayOnlyBeAccessedByLayers("main", "cli", "wiring")
                .whereLayer("demo").mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs")
                .whereLayer("report").mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs", "stages")
                .whereLayer("model").mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs", "stages", "report")
                .whereLayer("data").mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs", "stages", "report", "model")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers("main", "cli", "wiring", "runs", "demo", "stages", "report", "model", "data")
                .whereLayer("errors")
                .mayOnlyBeAccessedByLayers("main", "cli", "wiring", "yaml", "runs", "demo", "stages", "report", "model", "data",
                        "config")
                .because("pipeline-app's packages import only downward (see the README's module map)")
                .check(CLASSES);
    }

    @Test
    void theRootPackageHoldsOnlyTheEntryPoint() {
        classes().that().resideInAPackage(APP)
                .should().haveNameMatching("org\\.cropcast\\.pipeline\\.Cropcast(\\$.*)?")
                .because("org.cropcast.pipeline holds the entry point Cropcast; everything else lives in a layer")
                .check(CLASSES);
    }
}
