package dev.kubeyard.nodepool.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.nodepool.healing.ConditionStatus;
import dev.kubeyard.nodepool.healing.MachinePhase;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.NodeEvent;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.ObservedNode;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.rancher.client.machine.Machine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The observer's mapping from Rancher's machines and a cluster's nodes and events (fixtures/README.md). */
class NodeObservationsTest {

    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final Instant NOW = Instant.parse("2026-12-01T08:15:00Z");

    static <T> T fixture(String name, Class<T> type) throws IOException {
        try (InputStream in = NodeObservationsTest.class.getResourceAsStream("/fixtures/" + name)) {
            return JSON.readValue(in, type);
        }
    }

    static List<Event> events() throws IOException {
        return List.of(fixture("events-node.json", Event[].class));
    }

    @Test
    void aRunningMachineWithAStalledKubeletShowsReadyUnknownSinceTheKubeletStopped() throws IOException {
        Machine machine = fixture("machine-running.json", Machine.class);
        Node node = fixture("node-not-ready.json", Node.class);

        ObservedNode observed = NodeObservations.node(machine, Optional.of(node), List.of(), NOW);

        assertThat(observed.machine()).isEqualTo("dev-1-workers-abc12-x7k2p");
        assertThat(observed.node()).contains("dev-1-workers-abc12-x7k2p");
        assertThat(observed.phase()).isEqualTo(MachinePhase.RUNNING);
        assertThat(observed.createdAt()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
        assertThat(observed.ready()).isFalse();
        NodeCondition ready = observed.condition("Ready").orElseThrow();
        assertThat(ready.status()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(ready.since()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(ready.message()).isEqualTo("Kubelet stopped posting node status.");
    }

    @Test
    void aConditionWithoutATransitionTimeCountsFromTheMachinesCreationNotFromNow() throws IOException {
        ObservedNode observed = NodeObservations.node(
                fixture("machine-running.json", Machine.class),
                Optional.of(fixture("node-not-ready.json", Node.class)),
                List.of(),
                NOW);

        assertThat(observed.condition("DiskPressure").orElseThrow().since())
                .isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
    }

    @Test
    void aMachineWhoseNodeTheApiDoesNotHaveHasNoConditionsButKeepsItsNodeName() throws IOException {
        ObservedNode observed =
                NodeObservations.node(fixture("machine-running.json", Machine.class), Optional.empty(), List.of(), NOW);

        assertThat(observed.node()).contains("dev-1-workers-abc12-x7k2p");
        assertThat(observed.conditions()).isEmpty();
        assertThat(observed.ready()).isFalse();
    }

    @Test
    void aProvisioningMachineHasNoNodeAndCarriesRanchersMessage() throws IOException {
        ObservedNode observed = NodeObservations.node(
                fixture("machine-provisioning.json", Machine.class), Optional.empty(), List.of(), NOW);

        assertThat(observed.phase()).isEqualTo(MachinePhase.PROVISIONING);
        assertThat(observed.node()).isEmpty();
        assertThat(observed.machineMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("creating server"));
    }

    @Test
    void aMachineWithADeletionTimestampIsBeingDeletedWhateverItsPhaseSays() throws IOException {
        ObservedNode observed = NodeObservations.node(
                fixture("machine-deleting.json", Machine.class), Optional.empty(), List.of(), NOW);

        assertThat(observed.deleting()).isTrue();
        assertThat(observed.deletingSince()).contains(Instant.parse("2026-12-01T08:12:00Z"));
    }

    @Test
    void aFailedMachineCarriesTheFailingConditionsMessageAsEvidence() throws IOException {
        ObservedNode observed =
                NodeObservations.node(fixture("machine-failed.json", Machine.class), Optional.empty(), List.of(), NOW);

        assertThat(observed.phase()).isEqualTo(MachinePhase.FAILED);
        assertThat(observed.machineMessage())
                .contains(
                        "InfrastructureReady: Quota exceeded for cores: Requested 8, but already used 96 of 100 cores");
    }

    @Test
    void eventsAreKeptNewestFirstWhicheverTimestampTheyCarry() throws IOException {
        ObservedNode observed =
                NodeObservations.node(fixture("machine-running.json", Machine.class), Optional.empty(), events(), NOW);

        assertThat(observed.events())
                .extracting(NodeEvent::reason)
                .containsExactly("NodeNotReady", "SystemOOM", "NodeReady");
    }

    @Test
    void aPoolHoldsOnlyItsOwnMachinesWithTheirNodesAndEvents() throws IOException {
        Machine running = fixture("machine-running.json", Machine.class);
        Machine provisioning = fixture("machine-provisioning.json", Machine.class);
        Node node = fixture("node-not-ready.json", Node.class);

        ObservedPool pool = NodeObservations.pool(
                "workers",
                Set.of(NodeRole.WORKER),
                3,
                false,
                List.of(running, provisioning),
                Map.of(node.getMetadata().getName(), node),
                Map.of(node.getMetadata().getName(), events()),
                NOW);
        ObservedPool other = NodeObservations.pool(
                "control-plane", Set.of(NodeRole.ETCD), 1, false, List.of(running), Map.of(), Map.of(), NOW);

        assertThat(pool.nodes())
                .extracting(ObservedNode::machine)
                .containsExactly("dev-1-workers-abc12-x7k2p", "dev-1-workers-abc12-q9w8e");
        assertThat(pool.nodes().getFirst().events()).hasSize(3);
        assertThat(pool.desiredQuantity()).isEqualTo(3);
        assertThat(other.nodes()).isEmpty();
    }

    @Test
    void ranchersRolesBecomeThePlannersRoles() {
        assertThat(NodeObservations.roles(Set.of(
                        dev.kubeyard.rancher.client.provisioning.NodeRole.ETCD,
                        dev.kubeyard.rancher.client.provisioning.NodeRole.CONTROL_PLANE)))
                .containsExactlyInAnyOrder(NodeRole.ETCD, NodeRole.CONTROL_PLANE);
    }
}
