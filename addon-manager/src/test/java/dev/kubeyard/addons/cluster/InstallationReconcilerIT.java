package dev.kubeyard.addons.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.addons.TestCatalogs;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.Values;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.ManagedLabels;
import dev.kubeyard.addons.plan.ObjectRef;
import dev.kubeyard.addons.plan.Pass;
import dev.kubeyard.addons.plan.StatusRules;
import dev.kubeyard.addons.render.AddonRenderer;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler against rancher-sim's in-memory cluster APIs (fabric8's mock server in CRUD mode, real HTTP). */
class InstallationReconcilerIT {

    @TempDir
    static Path work;

    static RancherSim sim;
    static InstallationReconciler reconciler;
    static KindRegistry kinds = new KindRegistry(new KubernetesSerialization());

    @BeforeAll
    static void start() {
        sim = RancherSim.start(SimOptions.defaults().port(0).demoClusters(3).timing(SimTiming.fast()));
        Catalog catalog = TestCatalogs.load(work);
        reconciler = new InstallationReconciler(catalog, new AddonRenderer(work.resolve("render")));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    record Run(InstallationStatus status, Pass pass, List<List<ObjectRef>> remembered) {}

    static Run pass(String cluster, String version, Map<String, Object> values, InstallationStatus previous) {
        KubernetesClient client = sim.kubernetesClient(cluster);
        List<List<ObjectRef>> remembered = new ArrayList<>();
        Installation installation = new Installation(cluster, "demo-web", version, "demo", Values.of(values), 1);
        Pass pass = reconciler.reconcile(
                new ClusterObjects(client, kinds), "v1.33.5+rke2r1", installation, previous, remembered::add);
        return new Run(StatusRules.next(previous, pass, Instant.now(), Duration.ofSeconds(30)), pass, remembered);
    }

    @Test
    void installCreatesEveryObjectWithKubeyardsLabelsAndRemembersThemFirst() {
        Run run = pass("demo-001", "1.0.0", Map.of(), InstallationStatus.NEW);
        assertThat(run.pass().outcome()).isEqualTo(Pass.Outcome.APPLIED);
        assertThat(run.remembered()).hasSize(1);
        assertThat(run.status().objects()).hasSize(4);
        KubernetesClient client = sim.kubernetesClient("demo-001");
        ConfigMap config =
                client.configMaps().inNamespace("demo").withName("web-config").get();
        assertThat(config.getMetadata().getLabels())
                .containsEntry(ManagedLabels.ADDON, "demo-web")
                .containsEntry(ManagedLabels.MANAGED_BY, "kubeyard");
        assertThat(config.getMetadata().getAnnotations()).containsEntry(ManagedLabels.VERSION, "1.0.0");
        assertThat(client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("demo")
                        .withName("web")
                        .get())
                .isNotNull();
        assertThat(run.pass().actions()).anySatisfy(a -> assertThat(a).startsWith("created Deployment.apps demo/web"));

        Run again = pass("demo-001", "1.0.0", Map.of(), run.status());
        assertThat(again.pass().actions()).isEmpty();
        assertThat(again.remembered()).isEmpty();
    }

    @Test
    void anUpgradeUpdatesEveryObjectAndPrunesWhatTheNewVersionDropped() {
        Run v1 = pass("demo-002", "1.0.0", Map.of(), InstallationStatus.NEW);
        Run v2 = pass("demo-002", "2.0.0", Map.of(), v1.status());
        KubernetesClient client = sim.kubernetesClient("demo-002");
        assertThat(client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("demo")
                        .withName("web")
                        .get())
                .isNull();
        assertThat(v2.pass().actions()).contains("updated 3 objects to 2.0.0").anySatisfy(a -> assertThat(a)
                .startsWith("pruned PodDisruptionBudget.policy demo/web"));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("demo")
                        .withName("web")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("nginx:1.27.3");
        assertThat(v2.status().appliedVersion()).isEqualTo("2.0.0");
        assertThat(v2.status().objects()).hasSize(3);
    }

    @Test
    void anObjectDeletedByHandIsRecreatedAndOneEditedByHandIsPutBack() {
        Run v1 = pass("demo-003", "1.0.0", Map.of("greeting", "hi"), InstallationStatus.NEW);
        KubernetesClient client = sim.kubernetesClient("demo-003");
        client.configMaps().inNamespace("demo").withName("web-config").delete();
        // A merge patch, as kubectl scale would: no resourceVersion to race the simulated controller's status writes.
        client.apps()
                .deployments()
                .inNamespace("demo")
                .withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":7}}");

        Run repaired = pass("demo-003", "1.0.0", Map.of("greeting", "hi"), v1.status());
        assertThat(repaired.pass().drift()).isEqualTo(2);
        assertThat(repaired.pass().actions())
                .contains("recreated ConfigMap demo/web-config (deleted by hand)")
                .contains("repaired Deployment.apps demo/web (edited by hand at /spec/replicas)");
        assertThat(client.configMaps()
                        .inNamespace("demo")
                        .withName("web-config")
                        .get()
                        .getData())
                .containsEntry("greeting", "hi");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("demo")
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
        assertThat(repaired.status().driftRepairs()).isEqualTo(2);
    }

    @Test
    void anObjectAnotherAddonOwnsIsNotTakenOver() {
        KubernetesClient client = sim.kubernetesClient("demo-001");
        client.configMaps()
                .inNamespace("shared")
                .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("web-config")
                        .withNamespace("shared")
                        .addToLabels(ManagedLabels.ADDON, "other-addon")
                        .endMetadata()
                        .addToData("mine", "yes")
                        .build())
                .create();
        Installation installation = new Installation("demo-001", "demo-web", "1.0.0", "shared", Values.of(Map.of()), 1);
        Pass pass = reconciler.reconcile(
                new ClusterObjects(client, kinds), "v1.33.5", installation, InstallationStatus.NEW, refs -> {});
        assertThat(pass.outcome()).isEqualTo(Pass.Outcome.APPLY_FAILED);
        assertThat(pass.message()).contains("ConfigMap shared/web-config belongs to addon other-addon");
        assertThat(client.configMaps()
                        .inNamespace("shared")
                        .withName("web-config")
                        .get()
                        .getData())
                .containsEntry("mine", "yes");
    }
}
