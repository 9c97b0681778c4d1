package dev.kubeyard.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The application's own boundaries: the simulator is reachable from the sandbox package only (production code paths
 * never touch it), and the lifecycle rules (planner, mapping, plan and state snapshots) stay pure functions, free of
 * the database, the framework and the HTTP clients.
 */
class ArchitectureTest {

    private static final JavaClasses PLATFORM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.platform");

    @Test
    void onlyTheSandboxPackageUsesTheRancherSimulator() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kubeyard.platform.sandbox..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kubeyard.rancher.sim..")
                .check(PLATFORM);
    }

    @Test
    void lifecycleRulesAreFreeOfPersistenceFrameworkAndHttp() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("ClusterPlan")
                .or()
                .haveSimpleNameStartingWith("ClusterAction")
                .or()
                .haveSimpleNameStartingWith("RancherSpecs")
                .or()
                .haveSimpleNameStartingWith("DesiredCluster")
                .or()
                .haveSimpleNameStartingWith("ObservedCluster")
                .or()
                .haveSimpleName("ClusterSpecValidator")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "jakarta.inject..",
                        "io.fabric8..",
                        "okhttp3..",
                        "io.vertx..")
                .check(PLATFORM);
    }
}
