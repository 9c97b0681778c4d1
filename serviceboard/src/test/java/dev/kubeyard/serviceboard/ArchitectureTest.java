package dev.kubeyard.serviceboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.serviceboard");

    @Test
    void theBoardsRulesImportNoClientDatabaseOrFramework() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.serviceboard.board..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8..",
                        "okhttp3..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "dev.kubeyard.serviceboard.collect..")
                .check(CLASSES);
    }

    @Test
    void theCollectorTheStoreAndThePublisherRunWithoutQuarkusSoThatTheBenchmarkDrivesThem() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.kubeyard.serviceboard.collect..",
                        "dev.kubeyard.serviceboard.record..",
                        "dev.kubeyard.serviceboard.publish..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta.enterprise..", "jakarta.inject..", "jakarta.persistence..")
                .check(CLASSES);
    }
}
