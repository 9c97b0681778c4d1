package dev.kubeyard.rancher.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** rancher-client stays a plain library: ARCHITECTURE.md says it knows nothing of Quarkus or JPA. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.rancher.client");

    @Test
    void clientDependsOnNoFrameworkPersistenceOrSimulator() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "jakarta.inject..",
                        "jakarta.enterprise..",
                        "dev.kubeyard.rancher.sim..")
                .check(classes);
    }

    @Test
    void onlyTheTransportTalksHttp() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kubeyard.rancher.client.internal..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("okhttp3.OkHttpClient")
                .check(classes);
    }
}
