package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an addon manager does to a downstream cluster through Rancher's proxy with fabric8: server-side apply
 * (create, then update) of the kinds addons are made of, LIST by label in any namespace, DELETE.
 */
class DownstreamApplyIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(1).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-001"));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                kind("ConfigMap", v -> new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("addon-cm")
                        .withNamespace("kube-system")
                        .withLabels(labels())
                        .endMetadata()
                        .withData(Map.of("version", v))
                        .build()),
                kind("ServiceAccount", v -> new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("addon-sa")
                        .withNamespace("kube-system")
                        .withLabels(labels())
                        .withAnnotations(Map.of("version", v))
                        .endMetadata()
                        .build()),
                kind("ClusterRole", v -> new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName("addon-role")
                        .withLabels(labels())
                        .withAnnotations(Map.of("version", v))
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list")
                        .endRule()
                        .build()),
                kind("StorageClass", v -> new StorageClassBuilder()
                        .withNewMetadata()
                        .withName("addon-sc")
                        .withLabels(labels())
                        .withAnnotations(Map.of("version", v))
                        .endMetadata()
                        .withProvisioner("cinder.csi.openstack.org")
                        .withParameters(Map.of("version", v))
                        .build()),
                kind("CronJob", v -> new CronJobBuilder()
                        .withNewMetadata()
                        .withName("addon-cron")
                        .withNamespace("kube-system")
                        .withLabels(labels())
                        .endMetadata()
                        .withNewSpec()
                        .withSchedule("*/5 * * * *")
                        .withNewJobTemplate()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .withRestartPolicy("OnFailure")
                        .addNewContainer()
                        .withName("job")
                        .withImage("busybox:" + v)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .endJobTemplate()
                        .endSpec()
                        .build()),
                kind("Deployment", v -> new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("addon-deploy")
                        .withNamespace("kube-system")
                        .withLabels(labels())
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "addon"))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "addon"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("addon")
                        .withImage("addon:" + v)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build()),
                kind("DaemonSet", v -> new DaemonSetBuilder()
                        .withNewMetadata()
                        .withName("addon-ds")
                        .withNamespace("kube-system")
                        .withLabels(labels())
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "addon-ds"))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "addon-ds"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("agent")
                        .withImage("agent:" + v)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build()));
    }

    private static Arguments kind(String name, Function<String, HasMetadata> version) {
        return Arguments.of(Named.of(name, version));
    }

    private static Map<String, String> labels() {
        return Map.of("app.kubernetes.io/managed-by", "kubeyard", "kubeyard.dev/addon", "demo");
    }

    @Test
    void applyWithoutAStatusKeepsTheSimulatedStatusOfAWorkload() {
        Deployment v1 = WorkloadsIT.deployment("keep-status", "web", 2, "web:1");
        client.resource(v1).fieldManager("kubeyard").forceConflicts().serverSideApply();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkloadsIT.ready(client.resource(v1).get()));

        Deployment again =
                client.resource(v1).fieldManager("kubeyard").forceConflicts().serverSideApply();
        Deployment labelled = client.resource(new DeploymentBuilder(v1)
                        .editMetadata()
                        .addToLabels("extra", "label")
                        .endMetadata()
                        .build())
                .fieldManager("kubeyard")
                .forceConflicts()
                .serverSideApply();

        assertThat(again.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(labelled.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10))
                .until(() -> WorkloadsIT.ready(client.resource(v1).get()));
    }

    @Test
    void deleteBySetBasedLabelSelectorDeletesOnlyTheMatches() {
        for (String version : List.of("1", "2", "3")) {
            client.resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("prune-" + version)
                            .withNamespace("prune")
                            .withLabels(Map.of("kubeyard.dev/addon", "demo", "kubeyard.dev/version", version))
                            .endMetadata()
                            .build())
                    .create();
        }

        client.configMaps()
                .inNamespace("prune")
                .withLabel("kubeyard.dev/addon", "demo")
                .withLabelNotIn("kubeyard.dev/version", "3")
                .delete();

        assertThat(client.configMaps().inNamespace("prune").list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("prune-3");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void serverSideApplyCreatesThenUpdatesListsByLabelAndDeletes(Function<String, HasMetadata> version) {
        HasMetadata v1 = version.apply("1.0");

        HasMetadata created =
                client.resource(v1).fieldManager("kubeyard").forceConflicts().serverSideApply();

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getLabels()).containsAllEntriesOf(labels());
        HasMetadata updated = client.resource(version.apply("2.0"))
                .fieldManager("kubeyard")
                .forceConflicts()
                .serverSideApply();
        assertThat(updated.getMetadata().getUid())
                .isEqualTo(created.getMetadata().getUid());
        assertThat(client.resource(v1).get().toString()).contains("2.0").doesNotContain("1.0");

        List<? extends HasMetadata> listed = client.resources(v1.getClass())
                .inAnyNamespace()
                .withLabel("kubeyard.dev/addon", "demo")
                .list()
                .getItems();
        assertThat(listed)
                .extracting(o -> o.getMetadata().getName())
                .containsExactly(v1.getMetadata().getName());
        assertThat(client.resources(v1.getClass())
                        .inAnyNamespace()
                        .withLabel("kubeyard.dev/addon", "other")
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(client.resources(v1.getClass())
                        .inAnyNamespace()
                        .withLabelIn("kubeyard.dev/addon", "demo", "other")
                        .withLabel("app.kubernetes.io/managed-by")
                        .withoutLabel("kubeyard.dev/paused")
                        .list()
                        .getItems())
                .as("set-based selectors")
                .hasSize(1);
        assertThat(client.resources(v1.getClass())
                        .inAnyNamespace()
                        .withLabelNotIn("kubeyard.dev/addon", "demo")
                        .list()
                        .getItems())
                .isEmpty();

        assertThat(client.resource(v1).delete()).hasSize(1);
        assertThat(client.resource(v1).get()).isNull();
    }
}
