package dev.kubeyard.inventory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The inventory stores and answers: outside its {@code kube} package (the per-cluster Kubernetes clients that
 * ARCHITECTURE.md places here) it never calls Rancher or HTTP, and it knows nothing of the REST layer.
 */
class ArchitectureTest {

    private static final JavaClasses INVENTORY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.inventory");

    @Test
    void onlyTheKubePackageReachesRancherOrHttp() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kubeyard.inventory.kube..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kubeyard.rancher..", "okhttp3..", "io.vertx..", "jakarta.ws.rs..", "java.net.http..")
                .check(INVENTORY);
    }

    @Test
    void kubePackageHoldsNoPersistence() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.inventory.kube..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.persistence..", "io.quarkus.hibernate..", "org.hibernate..")
                .check(INVENTORY);
    }

    @Test
    void inventoryDependsOnNoApplicationModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.kubeyard.platform..")
                .check(INVENTORY);
    }
}
