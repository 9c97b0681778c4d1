package dev.kubeyard.inventory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The inventory stores and answers: it never calls Rancher or HTTP, and knows nothing of the REST layer. */
class ArchitectureTest {

    private static final JavaClasses INVENTORY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.inventory");

    @Test
    void inventoryMakesNoRancherOrHttpCalls() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kubeyard.rancher..", "okhttp3..", "io.vertx..", "jakarta.ws.rs..", "java.net.http..")
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
