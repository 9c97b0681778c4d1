package dev.kubeyard.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The checks and the alert planner are pure functions of what was observed (CONVENTIONS.md, Controllers): their
 * packages reach no cluster, no HTTP client, no database and no framework, and know nothing of the module's probing,
 * recording, notifying and scheduling beside them. The checks know nothing of alerts either: alerts are decided from
 * the checks, never the other way round.
 */
class ArchitectureTest {

    private static final JavaClasses HEALTH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.health");

    @Test
    void checksAndAlertsAreFreeOfClustersHttpPersistenceAndFrameworks() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.kubeyard.health.check..", "dev.kubeyard.health.alert..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8..",
                        "okhttp3..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "io.smallrye..",
                        "dev.kubeyard.health.probe..",
                        "dev.kubeyard.health.record..",
                        "dev.kubeyard.health.notify..",
                        "dev.kubeyard.health.control..")
                .check(HEALTH);
    }

    @Test
    void checksKnowNothingOfAlerts() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.health.check..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kubeyard.health.alert..")
                .check(HEALTH);
    }
}
