package dev.kubeyard.health.notify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of delivery (back-off, the guards of a due delivery, the payloads) stay pure functions:
 * free of the database, the framework and the HTTP client, so that they are tested in milliseconds by table.
 */
class NotifyRulesArchitectureTest {

    static final JavaClasses NOTIFY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.health.notify");

    @Test
    void deliveryRulesAndPayloadsAreFreeOfPersistenceFrameworkAndHttp() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("Backoff")
                .or()
                .haveSimpleNameStartingWith("DeliveryRules")
                .or()
                .haveSimpleNameStartingWith("AlertmanagerPayload")
                .or()
                .haveSimpleNameStartingWith("SlackMessage")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "jakarta.inject..",
                        "okhttp3..",
                        "io.smallrye.faulttolerance..",
                        "io.micrometer..")
                .check(NOTIFY);
    }
}
