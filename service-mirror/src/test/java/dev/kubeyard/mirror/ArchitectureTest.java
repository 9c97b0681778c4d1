package dev.kubeyard.mirror;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kubeyard.mirror");

    @Test
    void thePlannerImportsNoClientDatabaseOrFramework() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.mirror.plan..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8..",
                        "okhttp3..",
                        "java.sql..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "jakarta.inject..")
                .check(CLASSES);
    }

    @Test
    void thePlannerNeedsNothingButTheJdkNorAnyOtherKubeyardModule() {
        classes()
                .that()
                .resideInAPackage("dev.kubeyard.mirror.plan..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.kubeyard.mirror.plan..")
                .check(CLASSES);
    }

    @Test
    void onlyTheControlPackageKnowsQuarkus() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.kubeyard.mirror.collect..", "dev.kubeyard.mirror.write..", "dev.kubeyard.mirror.record..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "io.smallrye.config..", "jakarta.enterprise..", "jakarta.inject..")
                .check(CLASSES);
    }

    @Test
    void theMirrorImportsNoOtherFeatureModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.kubeyard.mirror..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kubeyard.serviceboard..",
                        "dev.kubeyard.health..",
                        "dev.kubeyard.addons..",
                        "dev.kubeyard.nodepool..",
                        "dev.kubeyard.platform..")
                .check(CLASSES);
    }
}
