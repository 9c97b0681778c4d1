package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Pods the simulated controllers keep for workloads, seen through Rancher's proxy with a fabric8 client as the
 * service board sees them. Each test has a namespace of its own; the fault test has a cluster of its own.
 */
class WorkloadPodsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(2).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Well beyond fast timing's workloadReadyMillis: what has not happened by then does not happen. */
    private static final Duration NEVER = Duration.ofMillis(SimTiming.fast().workloadReadyMillis() * 6);

    private static KubernetesClient client;
    private static KubernetesClient faulty;

    @BeforeAll
    static void connect() {
        client = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-001"));
        faulty = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-002"));
    }

    @AfterAll
    static void disconnect() {
        client.close();
        faulty.close();
    }

    @Test
    void deploymentsPodsAppearAndBecomeReadyAfterTheDelayAndAWatchSeesThem() {
        List<String> events = new CopyOnWriteArrayList<>();
        Watch watch = client.pods().inNamespace("created").watch(recorder(events));
        try {
            Deployment d = WorkloadsIT.apply(client, WorkloadsIT.deployment("created", "web", 3, "web:1"));

            await().atMost(WAIT).until(() -> readyPods(client, "created", "web") == 3);
            await().atMost(WAIT)
                    .until(() ->
                            events.stream().filter(e -> e.endsWith("/ready")).count() == 3);

            Deployment stored = client.resource(d).get();
            List<Pod> pods = podsOf(client, "created", "web");
            assertThat(pods).hasSize(3).allSatisfy(pod -> {
                assertThat(pod.getMetadata().getName()).matches("web-[a-z0-9]{10}-[a-z0-9]{5}");
                assertThat(pod.getMetadata().getLabels())
                        .containsEntry("app", "web")
                        .containsKey("pod-template-hash");
                assertThat(pod.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(owner -> {
                            assertThat(owner.getKind()).isEqualTo("Deployment");
                            assertThat(owner.getName()).isEqualTo("web");
                            assertThat(owner.getUid())
                                    .isEqualTo(stored.getMetadata().getUid());
                            assertThat(owner.getController()).isTrue();
                        });
                assertThat(pod.getSpec().getContainers()).singleElement().satisfies(c -> assertThat(c.getImage())
                        .isEqualTo("web:1"));
                assertThat(pod.getSpec().getNodeName()).isNotBlank();
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                assertThat(pod.getStatus().getContainerStatuses().getFirst().getReady())
                        .isTrue();
            });
            assertThat(events)
                    .as("each pod is added not ready, then becomes ready")
                    .filteredOn(e -> e.startsWith("ADDED"))
                    .hasSize(3)
                    .allMatch(e -> e.endsWith("/not-ready"));
        } finally {
            watch.close();
        }
    }

    @Test
    void readyPodsAreNotRewrittenWhileNothingChanges() {
        WorkloadsIT.apply(client, WorkloadsIT.deployment("quiet", "web", 2, "web:1"));
        await().atMost(WAIT).until(() -> readyPods(client, "quiet", "web") == 2);
        List<String> versions = resourceVersions(client, "quiet");

        sim.sim().faults().healWorkloads("demo-001");

        await().during(NEVER).atMost(WAIT).until(() -> resourceVersions(client, "quiet")
                .equals(versions));
    }

    @Test
    void scaledDownDeploymentLosesPodsAndANewImageReplacesThemAll() {
        WorkloadsIT.apply(client, WorkloadsIT.deployment("scaled", "web", 3, "web:1"));
        await().atMost(WAIT).until(() -> readyPods(client, "scaled", "web") == 3);
        List<String> three = names(client, "scaled");

        WorkloadsIT.apply(client, WorkloadsIT.deployment("scaled", "web", 1, "web:1"));
        await().atMost(WAIT).until(() -> podsOf(client, "scaled", "web").size() == 1);
        assertThat(three).containsAll(names(client, "scaled"));

        WorkloadsIT.apply(client, WorkloadsIT.deployment("scaled", "web", 1, "web:2"));
        await().atMost(WAIT)
                .until(() -> readyPods(client, "scaled", "web") == 1 && !three.containsAll(names(client, "scaled")));
        assertThat(podsOf(client, "scaled", "web")
                        .getFirst()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("web:2");
    }

    @Test
    void workloadFaultMakesThePodsNotReadyWithItsReasonUntilHealed() {
        WorkloadsIT.apply(faulty, WorkloadsIT.deployment("broken", "web", 2, "web:1"));
        await().atMost(WAIT).until(() -> readyPods(faulty, "broken", "web") == 2);
        List<String> names = names(faulty, "broken");

        sim.sim()
                .faults()
                .failWorkloads("demo-002", WorkloadFault.named("broken", "web").because("CrashLoopBackOff", null));

        await().atMost(WAIT).until(() -> readyPods(faulty, "broken", "web") == 0);
        assertThat(podsOf(faulty, "broken", "web")).hasSize(2).allSatisfy(pod -> {
            var container = pod.getStatus().getContainerStatuses().getFirst();
            assertThat(container.getReady()).isFalse();
            assertThat(container.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
            assertThat(container.getRestartCount()).isPositive();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(names(faulty, "broken")).as("the same pods").isEqualTo(names);

        sim.sim().faults().healWorkloads("demo-002");
        await().atMost(WAIT).until(() -> readyPods(faulty, "broken", "web") == 2);
    }

    @Test
    void deletedDeploymentTakesItsPodsWithIt() {
        List<String> events = new CopyOnWriteArrayList<>();
        Deployment d = WorkloadsIT.apply(client, WorkloadsIT.deployment("deleted", "web", 2, "web:1"));
        await().atMost(WAIT).until(() -> readyPods(client, "deleted", "web") == 2);
        Watch watch = client.pods().inNamespace("deleted").watch(recorder(events));
        try {
            client.resource(d).delete();

            await().atMost(WAIT).until(() -> podsOf(client, "deleted", "web").isEmpty());
            await().atMost(WAIT)
                    .until(() ->
                            events.stream().filter(e -> e.startsWith("DELETED")).count() == 2);
        } finally {
            watch.close();
        }
    }

    @Test
    void daemonSetRunsAReadyPodOnEveryNode() {
        List<String> nodes = client.nodes().list().getItems().stream()
                .map(n -> n.getMetadata().getName())
                .sorted()
                .toList();
        WorkloadsIT.apply(client, WorkloadsIT.daemonSet("agents", "agent", "agent:1"));

        await().atMost(WAIT).until(() -> readyPods(client, "agents", "agent") == nodes.size());

        assertThat(podsOf(client, "agents", "agent"))
                .extracting(p -> p.getSpec().getNodeName())
                .containsExactlyInAnyOrderElementsOf(nodes);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The pods a Service selecting {@code app=<app>} would match. */
    private static List<Pod> podsOf(KubernetesClient c, String namespace, String app) {
        return c.pods()
                .inNamespace(namespace)
                .withLabels(Map.of("app", app))
                .list()
                .getItems();
    }

    private static long readyPods(KubernetesClient c, String namespace, String app) {
        return podsOf(c, namespace, app).stream().filter(WorkloadPodsIT::ready).count();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<String> names(KubernetesClient c, String namespace) {
        return c.pods().inNamespace(namespace).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .sorted()
                .toList();
    }

    private static List<String> resourceVersions(KubernetesClient c, String namespace) {
        return c.pods().inNamespace(namespace).list().getItems().stream()
                .map(p -> p.getMetadata().getName() + "@" + p.getMetadata().getResourceVersion())
                .sorted()
                .toList();
    }

    /** Records "ACTION name/ready" or "ACTION name/not-ready" per event. */
    private static Watcher<Pod> recorder(List<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                events.add(action + " " + pod.getMetadata().getName() + (ready(pod) ? "/ready" : "/not-ready"));
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }
}
