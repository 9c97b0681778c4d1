package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Node object built for a machine, and how it changes between syncs. */
class NodeManifestsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Instant CREATED = Instant.parse("2026-03-04T05:06:07Z");

    private final NodeManifests.Memo memo = new NodeManifests.Memo();
    private final AtomicLong versions = new AtomicLong();

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of(Named.of("etcd only", List.of("etcd")), List.of("etcd")),
                Arguments.of(Named.of("control plane", List.of("control-plane")), List.of("control-plane", "master")),
                Arguments.of(Named.of("worker", List.of("worker")), List.of("worker")),
                Arguments.of(
                        Named.of("all roles", List.of("etcd", "control-plane", "worker")),
                        List.of("control-plane", "etcd", "master", "worker")),
                Arguments.of(Named.of("no role label", List.of()), List.of()));
    }

    @ParameterizedTest
    @MethodSource("roles")
    void roleLabelsFollowTheRkeRoleLabelsOfTheMachine(List<String> machineRoles, List<String> nodeRoles) {
        Map<String, String> labels = new HashMap<>();
        machineRoles.forEach(role -> labels.put("rke.cattle.io/" + role + "-role", "true"));

        Node node =
                parse(NodeManifests.reconcile(sim("n1", labels, true, null), null, memo, versions::incrementAndGet));

        assertThat(node.getMetadata().getLabels().keySet().stream()
                        .filter(key -> key.startsWith(NodeManifests.ROLE_LABEL_PREFIX))
                        .map(key -> key.substring(NodeManifests.ROLE_LABEL_PREFIX.length()))
                        .sorted())
                .containsExactlyElementsOf(nodeRoles);
    }

    @Test
    void newNodeCarriesCreationTimeVersionAddressesAndHealthyPressureConditions() {
        Node node =
                parse(NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet));

        assertThat(node.getMetadata().getCreationTimestamp()).isEqualTo(CREATED.toString());
        assertThat(node.getMetadata().getUid()).isNotBlank();
        assertThat(node.getSpec().getProviderID()).isEqualTo("rke2://n1");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.4+rke2r1");
        assertThat(node.getStatus().getAddresses())
                .extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.9.8.7", "Hostname=n1");
        assertThat(node.getStatus().getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .containsExactly(
                        "NetworkUnavailable=False/CalicoIsUp",
                        "MemoryPressure=False/KubeletHasSufficientMemory",
                        "DiskPressure=False/KubeletHasNoDiskPressure",
                        "PIDPressure=False/KubeletHasSufficientPID",
                        "Ready=True/KubeletReady");
        assertThat(ready(node).getLastTransitionTime()).isEqualTo(CREATED.toString());
    }

    @Test
    void unchangedMachineProducesNoWrite() {
        String first = NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet);

        String second =
                NodeManifests.reconcile(sim("n1", Map.of(), true, null), first, memo, versions::incrementAndGet);

        assertThat(second).isNull();
    }

    @Test
    void transitionTimeStaysWhileTheStatusStaysAndMovesWhenItFlips() {
        String first = NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet);
        String relabelled = NodeManifests.reconcile(
                sim("n1", Map.of("extra", "x"), true, null), first, memo, versions::incrementAndGet);
        String flipped = NodeManifests.reconcile(
                sim("n1", Map.of("extra", "x"), false, "KubeletNotReady"), relabelled, memo, versions::incrementAndGet);

        assertThat(ready(parse(relabelled)).getLastTransitionTime()).isEqualTo(CREATED.toString());
        assertThat(parse(relabelled).getMetadata().getResourceVersion())
                .isNotEqualTo(parse(first).getMetadata().getResourceVersion());
        NodeCondition notReady = ready(parse(flipped));
        assertThat(notReady.getStatus()).isEqualTo("False");
        assertThat(notReady.getReason()).isEqualTo("KubeletNotReady");
        assertThat(notReady.getMessage()).contains("cni plugin not initialized");
        assertThat(Instant.parse(notReady.getLastTransitionTime())).isAfter(CREATED);
    }

    @Test
    void nodeStatusUnknownMakesEveryOwnConditionUnknownAndKeepsTheLastHeartbeat() {
        String healthy =
                NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet);
        String silent = NodeManifests.reconcile(
                sim("n1", Map.of(), false, NodeManifests.STATUS_UNKNOWN_REASON),
                healthy,
                memo,
                versions::incrementAndGet);

        Node node = parse(silent);
        assertThat(node.getStatus().getConditions())
                .filteredOn(c -> !c.getType().equals("NetworkUnavailable"))
                .hasSize(4)
                .allSatisfy(c -> {
                    assertThat(c.getStatus()).isEqualTo("Unknown");
                    assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
                });
        assertThat(condition(node, "NetworkUnavailable").getStatus())
                .as("Calico's condition is not the kubelet's")
                .isEqualTo("False");
        assertThat(ready(node).getLastHeartbeatTime())
                .isEqualTo(ready(parse(healthy)).getLastHeartbeatTime());
    }

    @Test
    void everyNodeReportsCalicoUpAsRke2WithCanalDoes() {
        Node node =
                parse(NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet));

        NodeCondition network = condition(node, "NetworkUnavailable");
        assertThat(network.getStatus()).isEqualTo("False");
        assertThat(network.getReason()).isEqualTo("CalicoIsUp");
        assertThat(network.getMessage()).isEqualTo("Calico is running on this node");
        assertThat(network.getLastHeartbeatTime()).isEqualTo(network.getLastTransitionTime());
    }

    @Test
    void anInjectedConditionReplacesTheDefaultAndMovesItsTransitionOnlyWhenTheStatusFlips() {
        String healthy =
                NodeManifests.reconcile(sim("n1", Map.of(), true, null), null, memo, versions::incrementAndGet);
        String pressure = NodeManifests.reconcile(
                withConditions(new SimNode.Condition("DiskPressure", "True", "KubeletHasDiskPressure", "disk full")),
                healthy,
                memo,
                versions::incrementAndGet);
        String reworded = NodeManifests.reconcile(
                withConditions(new SimNode.Condition("DiskPressure", "True", "KubeletHasDiskPressure", "still full")),
                pressure,
                memo,
                versions::incrementAndGet);
        String cleared =
                NodeManifests.reconcile(sim("n1", Map.of(), true, null), reworded, memo, versions::incrementAndGet);

        NodeCondition underPressure = condition(parse(pressure), "DiskPressure");
        assertThat(underPressure.getStatus()).isEqualTo("True");
        assertThat(underPressure.getMessage()).isEqualTo("disk full");
        assertThat(condition(parse(healthy), "DiskPressure").getLastTransitionTime())
                .isEqualTo(CREATED.toString());
        assertThat(Instant.parse(underPressure.getLastTransitionTime())).isAfter(CREATED);
        assertThat(condition(parse(reworded), "DiskPressure").getLastTransitionTime())
                .as("same status, new message: the transition stays")
                .isEqualTo(underPressure.getLastTransitionTime());
        assertThat(condition(parse(reworded), "DiskPressure").getMessage()).isEqualTo("still full");
        assertThat(condition(parse(cleared), "DiskPressure").getReason()).isEqualTo("KubeletHasNoDiskPressure");
        assertThat(ready(parse(cleared)).getLastTransitionTime()).isEqualTo(CREATED.toString());
    }

    @Test
    void aSilentKubeletHidesInjectedPressureButNotCalicosCondition() {
        SimNode silent = new SimNode(
                "n1",
                Map.of(),
                List.of(),
                false,
                NodeManifests.STATUS_UNKNOWN_REASON,
                "v1.33.4+rke2r1",
                "10.9.8.7",
                CREATED,
                List.of(
                        new SimNode.Condition("MemoryPressure", "True", "KubeletHasInsufficientMemory", "oom"),
                        new SimNode.Condition("NetworkUnavailable", "True", "CalicoIsDown", "down")),
                null);

        Node node = parse(NodeManifests.reconcile(silent, null, memo, versions::incrementAndGet));

        assertThat(condition(node, "MemoryPressure").getStatus()).isEqualTo("Unknown");
        assertThat(condition(node, "NetworkUnavailable").getStatus()).isEqualTo("True");
        assertThat(condition(node, "NetworkUnavailable").getReason()).isEqualTo("CalicoIsDown");
    }

    @Test
    void labelsTheMachineNoLongerHasAreRemovedButOthersStay() {
        String first = NodeManifests.reconcile(
                sim("n1", Map.of("tier", "gold"), true, null), null, memo, versions::incrementAndGet);
        Node edited = parse(first);
        edited.getMetadata().getLabels().put("team", "payments");

        Node next = parse(NodeManifests.reconcile(
                sim("n1", Map.of(), true, null), SERIALIZATION.asJson(edited), memo, versions::incrementAndGet));

        assertThat(next.getMetadata().getLabels()).doesNotContainKey("tier").containsEntry("team", "payments");
    }

    @Test
    void versionObjectUsesTheFirstNodesKubelet() {
        SimNode node = new SimNode("n1", Map.of(), List.of(), true, null, "v1.34.1+rke2r2", null, null);

        String json = DownstreamApis.versionJson(List.of(node));

        assertThat(json)
                .contains("\"major\" : \"1\"")
                .contains("\"minor\" : \"34\"")
                .contains("\"gitVersion\" : \"v1.34.1+rke2r2\"")
                .contains("\"platform\" : \"linux/amd64\"");
        assertThat(DownstreamApis.versionJson(List.of())).contains(NodeManifests.DEFAULT_KUBELET_VERSION);
    }

    private static SimNode sim(String name, Map<String, String> labels, boolean ready, String reason) {
        return new SimNode(name, labels, List.of(), ready, reason, "v1.33.4+rke2r1", "10.9.8.7", CREATED);
    }

    private static SimNode withConditions(SimNode.Condition... conditions) {
        SimNode base = sim("n1", Map.of(), true, null);
        return new SimNode(
                base.name(),
                base.labels(),
                base.taints(),
                base.ready(),
                base.readyReason(),
                base.kubeletVersion(),
                base.internalIp(),
                base.createdAt(),
                List.of(conditions),
                null);
    }

    private static NodeCondition condition(Node node, String type) {
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static Node parse(String json) {
        return SERIALIZATION.unmarshal(json, Node.class);
    }

    private static NodeCondition ready(Node node) {
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
    }
}
