package dev.kubeyard.rancher.sim.downstream;

import static dev.kubeyard.rancher.sim.downstream.ProxyHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
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

/** The Node objects of a simulated cluster follow its machines, as seen through the proxy. */
class NodeSyncIT {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static ProxyHarness harness;

    @BeforeAll
    static void start() {
        harness = ProxyHarness.start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void nodesSyncedBeforeFirstUseAppearWithRolesConditionsAndAddresses() {
        SimNode controlPlane = node("demo-cp-abc12345-x1y2z", true, null, "etcd", "control-plane");
        SimNode worker = new SimNode(
                "demo-workers-abc12345-q9w8e",
                Map.of("rke.cattle.io/worker-role", "true", "pool", "blue"),
                List.of(new SimTaint("dedicated", "gpu", "NoSchedule")),
                true,
                null,
                "v1.33.4+rke2r1",
                "10.0.1.7",
                java.time.Instant.parse("2026-02-03T04:05:06Z"));
        harness.apis.syncNodes("c-m-nodes001", List.of(controlPlane, worker));
        assertThat(harness.apis.runningClusterIds()).doesNotContain("c-m-nodes001");

        KubernetesClient client = harness.client("c-m-nodes001");
        Node cp = client.nodes().withName(controlPlane.name()).get();
        Node w = client.nodes().withName(worker.name()).get();

        assertThat(cp.getMetadata().getLabels())
                .containsEntry("node-role.kubernetes.io/etcd", "true")
                .containsEntry("node-role.kubernetes.io/control-plane", "true")
                .containsEntry("kubernetes.io/hostname", controlPlane.name())
                .doesNotContainKey("node-role.kubernetes.io/worker");
        assertThat(w.getMetadata().getLabels())
                .containsEntry("node-role.kubernetes.io/worker", "true")
                .containsEntry("pool", "blue")
                .doesNotContainKey("node-role.kubernetes.io/etcd");
        assertThat(w.getMetadata().getCreationTimestamp()).isEqualTo("2026-02-03T04:05:06Z");
        assertThat(w.getSpec().getTaints()).singleElement().satisfies(taint -> assertThat(
                        taint.getKey() + "=" + taint.getValue() + ":" + taint.getEffect())
                .isEqualTo("dedicated=gpu:NoSchedule"));
        assertThat(w.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.4+rke2r1");
        assertThat(w.getStatus().getAddresses()).anySatisfy(address -> {
            assertThat(address.getType()).isEqualTo("InternalIP");
            assertThat(address.getAddress()).isEqualTo("10.0.1.7");
        });
        assertThat(w.getStatus().getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly(
                        "NetworkUnavailable=False",
                        "MemoryPressure=False",
                        "DiskPressure=False",
                        "PIDPressure=False",
                        "Ready=True");
    }

    @Test
    void readyFlipChangesTheTransitionTimeAndReason() {
        String id = "c-m-nodes002";
        harness.apis.syncNodes(id, List.of(node("flip-1", true, null, "worker")));
        KubernetesClient client = harness.client(id);
        NodeCondition before = ready(client.nodes().withName("flip-1").get());
        assertThat(before.getStatus()).isEqualTo("True");

        harness.apis.syncNodes(id, List.of(node("flip-1", false, "KubeletNotReady", "worker")));

        NodeCondition notReady = ready(client.nodes().withName("flip-1").get());
        assertThat(notReady.getStatus()).isEqualTo("False");
        assertThat(notReady.getReason()).isEqualTo("KubeletNotReady");
        assertThat(notReady.getLastTransitionTime()).isNotEqualTo(before.getLastTransitionTime());

        harness.apis.syncNodes(id, List.of(node("flip-1", false, NodeManifests.STATUS_UNKNOWN_REASON, "worker")));

        Node unknown = client.nodes().withName("flip-1").get();
        assertThat(ready(unknown).getStatus()).isEqualTo("Unknown");
        assertThat(ready(unknown).getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(unknown.getStatus().getConditions())
                .filteredOn(c -> !c.getType().equals("NetworkUnavailable"))
                .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
    }

    @Test
    void unchangedMachinesDoNotTouchTheNode() {
        String id = "c-m-nodes003";
        harness.apis.syncNodes(id, List.of(node("steady-1", true, null, "worker")));
        KubernetesClient client = harness.client(id);
        String version = client.nodes().withName("steady-1").get().getMetadata().getResourceVersion();
        NodeCondition ready = ready(client.nodes().withName("steady-1").get());

        harness.apis.syncNodes(id, List.of(node("steady-1", true, null, "worker")));

        Node after = client.nodes().withName("steady-1").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(ready(after).getLastTransitionTime()).isEqualTo(ready.getLastTransitionTime());
    }

    @Test
    void removedMachineDeletesItsNodeAndLeavesOtherObjectsAlone() {
        String id = "c-m-nodes004";
        harness.apis.syncNodes(id, List.of(node("keep-1", true, null, "worker"), node("gone-1", true, null, "worker")));
        KubernetesClient client = harness.client(id);
        client.configMaps()
                .inNamespace("kube-system")
                .resource(DownstreamProxyIT.configMap("kube-system", "user-data", Map.of("a", "b")))
                .create();
        List<String> events = new CopyOnWriteArrayList<>();
        Watch watch = client.nodes().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        try {
            await().atMost(DEADLINE).until(() -> events.contains("ADDED gone-1"));

            harness.apis.syncNodes(id, List.of(node("keep-1", true, null, "worker")));

            await().atMost(DEADLINE).until(() -> events.contains("DELETED gone-1"));
        } finally {
            watch.close();
        }
        assertThat(client.nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("keep-1");
        ConfigMap untouched = client.configMaps()
                .inNamespace("kube-system")
                .withName("user-data")
                .get();
        assertThat(untouched.getData()).containsEntry("a", "b");
    }

    @Test
    void labelsAndTaintsAddedByUsersSurviveASync() {
        String id = "c-m-nodes005";
        harness.apis.syncNodes(id, List.of(node("labelled-1", true, null, "worker")));
        KubernetesClient client = harness.client(id);
        client.nodes().withName("labelled-1").edit(n -> new NodeBuilder(n)
                .editMetadata()
                .addToLabels("team", "payments")
                .endMetadata()
                .editSpec()
                .addNewTaint()
                .withKey("maintenance")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build());

        harness.apis.syncNodes(id, List.of(node("labelled-1", false, "KubeletNotReady", "worker")));

        Node node = client.nodes().withName("labelled-1").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(node.getSpec().getTaints()).extracting(t -> t.getKey()).contains("maintenance");
        assertThat(ready(node).getStatus()).isEqualTo("False");
    }

    @Test
    void machineLabelRemovedFromThePoolIsRemovedFromTheNode() {
        String id = "c-m-nodes006";
        SimNode labelled = new SimNode(
                "pool-1",
                Map.of("rke.cattle.io/worker-role", "true", "tier", "gold"),
                List.of(new SimTaint("spot", "", "PreferNoSchedule")),
                true,
                null,
                null,
                null,
                null);
        harness.apis.syncNodes(id, List.of(labelled));
        KubernetesClient client = harness.client(id);
        assertThat(client.nodes().withName("pool-1").get().getMetadata().getLabels())
                .containsEntry("tier", "gold");

        harness.apis.syncNodes(
                id,
                List.of(new SimNode(
                        "pool-1",
                        Map.of("rke.cattle.io/worker-role", "true"),
                        List.of(),
                        true,
                        null,
                        null,
                        null,
                        null)));

        Node node = client.nodes().withName("pool-1").get();
        assertThat(node.getMetadata().getLabels()).doesNotContainKey("tier");
        assertThat(node.getSpec().getTaints()).isEmpty();
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(NodeManifests.DEFAULT_KUBELET_VERSION);
    }

    private static NodeCondition ready(Node node) {
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
    }
}
