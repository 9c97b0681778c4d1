package dev.kubeyard.nodepool;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The healing planner stays a pure function (CONVENTIONS.md, Controllers): its package reaches no cluster, no Rancher,
 * no database and no framework; the observer and the actor that do live beside it, never in it.
 */
class ArchitectureTest {

    private static final JavaClasses NODEPOOL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.nodepool");

    @Test
    void healingPlannerIsFreeOfClustersRancherPersistenceAndFrameworks() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.nodepool.healing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8..",
                        "okhttp3..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "jakarta.inject..",
                        "io.vertx..",
                        "dev.kubeyard.rancher..",
                        "dev.kubeyard.inventory..")
                .check(NODEPOOL);
    }

    @Test
    void healingPlannerNeedsNothingButTheJdk() {
        classes()
                .that()
                .resideInAPackage("dev.kubeyard.nodepool.healing..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.kubeyard.nodepool.healing..")
                .check(NODEPOOL);
    }
}
