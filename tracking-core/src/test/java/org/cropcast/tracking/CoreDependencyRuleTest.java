package org.cropcast.tracking;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the hexagon: tracking-core's production classes use the JDK and
 * slf4j-api only. The enforcer's bannedDependencies rule guards the pom; this guards the code.
 */
class CoreDependencyRuleTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.cropcast.tracking");

    @Test
    void coreDependsOnTheJdkAndSlf4jAlone() {
        noClasses().that().resideInAPackage("org.cropcast.tracking..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.google.inject..", "javax.inject..", "jakarta.inject..", "org.mlflow..",
                        "software.amazon..", "java.sql..", "javax.sql..", "com.fasterxml..", "org.yaml..",
                        "com.google.gson..", "tools.jackson..", "org.xerial..")
                .because("tracking-core is the port module: no Guice, @Inject, MLflow, AWS, JDBC, YAML or JSON types")
                .check(CORE);
    }

    @Test
    void coreUsesOnlyJdkAndSlf4j() {
        noClasses().that().resideInAPackage("org.cropcast.tracking..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax.annotation..", "org.slf4j..",
                        "org.cropcast.tracking..")
                .check(CORE);
    }
}
