package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulated workload controllers and the workload fault, seen as an addon manager sees them: a fabric8 client
 * through Rancher's proxy, and the admin API. Each fault test has a cluster of its own.
 */
class WorkloadsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(4).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Well beyond fast timing's workloadReadyMillis: what has not happened by then does not happen. */
    private static final Duration NEVER = Duration.ofMillis(SimTiming.fast().workloadReadyMillis() * 6);

    private static KubernetesClient plain;
    private static KubernetesClient byName;
    private static KubernetesClient byImage;

    @BeforeAll
    static void connect() {
        plain = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-001"));
        byName = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-002"));
        byImage = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-003"));
    }

    @AfterAll
    static void disconnect() {
        plain.close();
        byName.close();
        byImage.close();
    }

    @Test
    void newDeploymentBecomesReadyAfterTheDelayAndWatchersSeeItProgress() {
        List<DeploymentStatus> seen = new CopyOnWriteArrayList<>();
        Watch watch = plain.apps().deployments().inNamespace("watched").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.MODIFIED) {
                    seen.add(d.getStatus());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        try {
            apply(plain, deployment("watched", "web", 3, "web:1"));

            await().atMost(WAIT)
                    .until(() -> ready(plain.resource(deployment("watched", "web", 3, "web:1"))
                            .get()));
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> Objects.equals(s.getReadyReplicas(), 3)));
        } finally {
            watch.close();
        }

        Deployment d = plain.apps()
                .deployments()
                .inNamespace("watched")
                .withName("web")
                .get();
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
        assertThat(d.getStatus().getObservedGeneration()).isEqualTo(1);
        assertThat(d.getStatus().getReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(seen.getFirst())
                .as("the first status a watcher sees is the progressing one")
                .satisfies(s -> assertThat(s.getReadyReplicas()).isNull());
        assertThat(seen.getFirst().getConditions())
                .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("ReplicaSetUpdated"));
    }

    @Test
    void statefulSetBecomesReadyWithOneRevision() {
        StatefulSet applied = apply(plain, statefulSet("data", "db", 2, "postgres:17"));

        await().atMost(WAIT).until(() -> {
            StatefulSetStatus s = plain.resource(applied).get().getStatus();
            return s != null && Objects.equals(s.getReadyReplicas(), 2);
        });

        StatefulSetStatus status = plain.resource(applied).get().getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(1);
        assertThat(status.getReplicas()).isEqualTo(2);
        assertThat(status.getCurrentReplicas()).isEqualTo(2);
        assertThat(status.getUpdatedReplicas()).isEqualTo(2);
        assertThat(status.getAvailableReplicas()).isEqualTo(2);
        assertThat(status.getCurrentRevision()).isNotBlank().isEqualTo(status.getUpdateRevision());
    }

    @Test
    void daemonSetBecomesReadyOnEveryNodeOfTheCluster() {
        int nodes = plain.nodes().list().getItems().size();
        assertThat(nodes).isEqualTo(4);
        DaemonSet applied = apply(plain, daemonSet("agents", "node-agent", "agent:1"));

        await().atMost(WAIT).until(() -> {
            DaemonSetStatus s = plain.resource(applied).get().getStatus();
            return s != null && s.getNumberReady() != null && s.getNumberReady() == nodes;
        });

        DaemonSetStatus status = plain.resource(applied).get().getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(1);
        assertThat(status.getDesiredNumberScheduled()).isEqualTo(nodes);
        assertThat(status.getCurrentNumberScheduled()).isEqualTo(nodes);
        assertThat(status.getUpdatedNumberScheduled()).isEqualTo(nodes);
        assertThat(status.getNumberAvailable()).isEqualTo(nodes);
        assertThat(status.getNumberMisscheduled()).isZero();
    }

    @Test
    void specChangeShowsTheNewGenerationProgressingThenReady() {
        apply(plain, deployment("rollout", "web", 2, "web:1"));
        await().atMost(WAIT)
                .until(() -> ready(plain.apps()
                        .deployments()
                        .inNamespace("rollout")
                        .withName("web")
                        .get()));
        List<DeploymentStatus> seen = new CopyOnWriteArrayList<>();
        Watch watch = plain.apps().deployments().inNamespace("rollout").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                seen.add(d.getStatus());
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        try {
            Deployment v2 = apply(plain, deployment("rollout", "web", 2, "web:2"));

            assertThat(v2.getMetadata().getGeneration()).isEqualTo(2);
            await().atMost(WAIT).until(() -> ready(plain.resource(v2).get()));
            await().atMost(WAIT).until(() -> !seen.isEmpty() && ready2(seen.getLast()));
        } finally {
            watch.close();
        }

        assertThat(seen)
                .as("a status of generation 2 that is not ready comes before the ready one")
                .anySatisfy(s -> {
                    assertThat(s.getObservedGeneration()).isEqualTo(2);
                    assertThat(s.getUpdatedReplicas()).isNull();
                    assertThat(s.getReadyReplicas()).isNull();
                });
        assertThat(seen.getLast().getObservedGeneration()).isEqualTo(2);
        assertThat(seen.getLast().getUpdatedReplicas()).isEqualTo(2);
    }

    @Test
    void statusWrittenByATestStays() {
        Deployment d = apply(plain, deployment("by-hand", "web", 2, "web:1"));
        DeploymentStatus handMade = new DeploymentStatusBuilder()
                .withObservedGeneration(1L)
                .withReplicas(2)
                .withReadyReplicas(1)
                .withUnavailableReplicas(1)
                .build();

        // no resourceVersion: the simulator may have written the status since the apply
        plain.resource(new DeploymentBuilder(d)
                        .editMetadata()
                        .withResourceVersion(null)
                        .endMetadata()
                        .withStatus(handMade)
                        .build())
                .patchStatus();

        await().during(NEVER)
                .atMost(WAIT)
                .until(() -> Objects.equals(plain.resource(d).get().getStatus().getReadyReplicas(), 1));
    }

    @Test
    void workloadFaultByNameMakesAnExistingWorkloadNotReadyUntilHealed() {
        SimHttp admin = new SimHttp(sim.url(), null);
        Deployment d = apply(byName, deployment("kube-system", "metrics-server", 2, "metrics-server:v0.8.0"));
        Deployment other = apply(byName, deployment("kube-system", "coredns", 2, "coredns:1.12"));
        await().atMost(WAIT)
                .until(() -> ready(byName.resource(d).get())
                        && ready(byName.resource(other).get()));

        Resp failed = admin.post(
                "/_sim/clusters/demo-002/workloads",
                "{\"ready\":false,\"namespace\":\"kube-system\",\"name\":\"metrics-server\",\"reason\":\"ImagePullBackOff\"}");

        assertThat(failed.code()).as(failed.body()).isEqualTo(200);
        assertThat(failed.json().at("/faults/workloads/demo-002/0/name").asText())
                .isEqualTo("metrics-server");
        await().atMost(WAIT).until(() -> !ready(byName.resource(d).get()));
        Deployment broken = byName.resource(d).get();
        assertThat(broken.getStatus().getReadyReplicas()).isNull();
        assertThat(broken.getStatus().getUnavailableReplicas()).isEqualTo(2);
        assertThat(condition(broken, "Available").getStatus()).isEqualTo("False");
        assertThat(condition(broken, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition(broken, "Progressing").getMessage())
                .contains("container image \"metrics-server:v0.8.0\" ImagePullBackOff");
        assertThat(ready(byName.resource(other).get()))
                .as("coredns does not match")
                .isTrue();

        assertThat(admin.post("/_sim/clusters/demo-002/workloads", "{\"ready\":true}")
                        .code())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> ready(byName.resource(d).get()));
        assertThat(admin.get("/_sim/state").json().at("/faults/workloads").has("demo-002"))
                .isFalse();
    }

    @Test
    void workloadFaultByImageBreaksOnlyTheBrokenVersionAndWorkloadsCreatedLater() {
        sim.sim().faults().failWorkloads("demo-003", WorkloadFault.image("addon:2."));
        Deployment v1 = apply(byImage, deployment("addons", "addon", 1, "example.com/addon:1.4"));
        await().atMost(WAIT).until(() -> ready(byImage.resource(v1).get()));

        Deployment v2 = apply(byImage, deployment("addons", "addon", 1, "example.com/addon:2.0"));
        DaemonSet agent = apply(byImage, daemonSet("addons", "addon-agent", "example.com/addon:2.0"));

        await().atMost(WAIT).until(() -> {
            Deployment d = byImage.resource(v2).get();
            return d.getStatus().getObservedGeneration() == 2
                    && "ProgressDeadlineExceeded"
                            .equals(condition(d, "Progressing").getReason());
        });
        await().during(NEVER).atMost(WAIT).until(() -> {
            DaemonSetStatus s = byImage.resource(agent).get().getStatus();
            return s == null || (s.getNumberReady() == 0 && s.getDesiredNumberScheduled() == 4);
        });
        DaemonSetStatus status = byImage.resource(agent).get().getStatus();
        assertThat(status.getNumberUnavailable()).isEqualTo(4);
        assertThat(status.getConditions()).singleElement().satisfies(c -> assertThat(c.getMessage())
                .isEqualTo("container image \"example.com/addon:2.0\" ImagePullBackOff"));

        sim.sim().faults().healWorkloads("demo-003");
        await().atMost(WAIT).until(() -> ready(byImage.resource(v2).get()));
        await().atMost(WAIT)
                .until(() -> byImage.resource(agent).get().getStatus().getNumberReady() == 4);
    }

    @Test
    void workloadRouteAnswers404ForAnUnknownClusterAnd400ForABadBody() {
        SimHttp admin = new SimHttp(sim.url(), null);
        String route = "/_sim/clusters/demo-004/workloads";

        assertThat(admin.post("/_sim/clusters/nope/workloads", "{\"ready\":false}")
                        .code())
                .isEqualTo(404);
        assertThat(admin.post(route, "{}").json().path("message").asText()).contains("\"ready\"");
        assertThat(admin.post(route, "{\"ready\":\"no\"}").code()).isEqualTo(400);
        assertThat(admin.post(route, "{\"ready\":false,\"img\":\"x\"}")
                        .json()
                        .path("message")
                        .asText())
                .contains("unknown field \"img\"");
        assertThat(admin.post(route, "{\"ready\":false,\"name\":5}").code()).isEqualTo(400);
        assertThat(admin.post(route, "{\"ready\":false,\"reason\":\"not a word\"}")
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(route, "{\"ready\":true,\"name\":\"x\"}").code()).isEqualTo(400);
        assertThat(admin.post(route, "not json").code()).isEqualTo(400);
        assertThat(admin.get("/_sim/state").json().at("/faults/workloads").has("demo-004"))
                .as("nothing was set")
                .isFalse();
    }

    @Test
    void sameMatchersReplaceAnEarlierFault() {
        sim.sim().faults().failWorkloads("demo-004", WorkloadFault.named("a", "b"));
        sim.sim()
                .faults()
                .failWorkloads("demo-004", WorkloadFault.named("a", "b").because("ErrImagePull", "gone"));
        sim.sim().faults().failWorkloads("demo-004", WorkloadFault.image("x:1"));

        JsonNode faults = sim.sim().faults().state().at("/faults/workloads/demo-004");

        assertThat(faults).hasSize(2);
        assertThat(faults.get(0).path("reason").asText()).isEqualTo("ErrImagePull");
        assertThat(faults.get(0).path("message").asText()).isEqualTo("gone");
        assertThat(faults.get(1).path("image").asText()).isEqualTo("x:1");
        sim.sim().faults().healWorkloads("demo-004");
        assertThat(sim.sim().faults().state().at("/faults/workloads").has("demo-004"))
                .isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static <T extends HasMetadata> T apply(KubernetesClient client, T object) {
        return client.resource(object).fieldManager("kubeyard").forceConflicts().serverSideApply();
    }

    static boolean ready(Deployment d) {
        DeploymentStatus s = d == null ? null : d.getStatus();
        return s != null
                && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(s.getUpdatedReplicas(), d.getSpec().getReplicas())
                && Objects.equals(s.getAvailableReplicas(), d.getSpec().getReplicas());
    }

    private static boolean ready2(DeploymentStatus s) {
        return s != null && Objects.equals(s.getObservedGeneration(), 2L) && Objects.equals(s.getUpdatedReplicas(), 2);
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    static Deployment deployment(String namespace, String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(String namespace, String name, int replicas, String image) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static DaemonSet daemonSet(String namespace, String name, String image) {
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
