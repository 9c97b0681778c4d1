package dev.kubeyard.rancher.sim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.api.Json;
import dev.kubeyard.rancher.sim.api.Renderer;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.Ids;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.MachineObject.Fault;
import dev.kubeyard.rancher.sim.store.MachineObject.Phase;
import dev.kubeyard.rancher.sim.store.SimStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The provisioning state machines driven by a hand-moved clock, without HTTP. */
class LifecycleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration STEP = Duration.ofMillis(100);

    private MutableClock clock;
    private SimStore store;
    private Lifecycle lifecycle;
    private final List<String> nodeSyncs = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new MutableClock();
        store = new SimStore(clock, new Ids(1));
        lifecycle = new Lifecycle(store, () -> SimTiming.uniform(100), new Lifecycle.Listener() {
            @Override
            public void nodesChanged(ClusterObject cluster) {
                nodeSyncs.add(cluster.name());
            }

            @Override
            public void clusterRemoved(ClusterObject cluster) {
                removed.add(cluster.name());
            }
        });
    }

    @Test
    void machinesWalkThroughEveryPhaseAndTheClusterBecomesReadyWhenTheAgentConnects() {
        ClusterObject c = create("walk", 1, 1, 1, null);
        lifecycle.tick();
        assertThat(phases(c)).containsOnly(Phase.PENDING).hasSize(3);
        assertThat(c.conditions.get("Provisioned").status()).isEqualTo("Unknown");

        step();
        assertThat(phases(c)).containsOnly(Phase.PROVISIONING);
        step();
        assertThat(phases(c)).containsOnly(Phase.PROVISIONED);
        assertThat(c.conditions.get("Ready").message())
                .startsWith("configuring bootstrap node(s) walk-etcd-")
                .endsWith(": waiting for agent to check in and apply initial plan");
        step();
        assertThat(phases(c)).containsOnly(Phase.RUNNING);
        assertThat(c.ready).isFalse();
        assertThat(c.conditions.get("Ready").message()).isEqualTo("waiting for cluster agent to connect");
        assertThat(nodeSyncs).contains("walk");

        step();
        assertThat(c.ready).isTrue();
        for (String type : List.of("Created", "Provisioned", "Updated", "Ready", "Connected")) {
            assertThat(c.conditions.get(type).status()).as(type).isEqualTo("True");
        }
        assertThat(c.observedGeneration).isEqualTo(c.meta.generation);
        assertThat(lifecycle.inFlightCount())
                .as("a ready cluster leaves the timer alone")
                .isZero();
    }

    @Test
    void stalledClusterDoesNotAdvance() {
        ClusterObject c = create("stuck", 1, 1, 1, null);
        lifecycle.tick();
        c.stalled = true;

        for (int i = 0; i < 10; i++) {
            step();
        }

        assertThat(phases(c)).containsOnly(Phase.PENDING);
        c.stalled = false;
        lifecycle.wake(c);
        for (int i = 0; i < 4; i++) {
            step();
        }
        assertThat(c.ready).isTrue();
    }

    @Test
    void doesNotRemediateBeforeTheUnhealthyNodeTimeout() {
        ClusterObject c = readyCluster("mhc", "1s");
        MachineObject worker = worker(c);

        lifecycle.failMachine(worker, Fault.NOT_READY);
        clock.advance(Duration.ofMillis(900));
        lifecycle.tick();

        assertThat(worker.deleting()).isFalse();
        assertThat(worker.remediationAt).isNull();
    }

    @Test
    void remediatesAnUnhealthyMachineAfterTheTimeoutAndReplacesIt() {
        ClusterObject c = readyCluster("mhc2", "1s");
        MachineObject worker = worker(c);

        lifecycle.failMachine(worker, Fault.NOT_READY);
        clock.advance(Duration.ofMillis(1000));
        lifecycle.tick();

        assertThat(worker.deleting()).isTrue();
        assertThat(worker.remediationAt).isNotNull();
        step();
        step();
        assertThat(c.machines).doesNotContain(worker);
        assertThat(c.machines.stream().filter(m -> m.worker && !m.deleting())).hasSize(1);
    }

    @Test
    void doesNotRemediateWithoutAHealthCheckOnThePool() {
        ClusterObject c = readyCluster("nomhc", null);
        MachineObject worker = worker(c);

        lifecycle.failMachine(worker, Fault.NOT_READY);
        clock.advance(Duration.ofHours(1));
        lifecycle.tick();

        assertThat(worker.deleting()).isFalse();
        assertThat(c.conditions.get("Ready").status())
                .as("a NotReady worker leaves a ready cluster Ready")
                .isEqualTo("True");
    }

    @Test
    void doesNotStartADayTwoOperationBeforeTheClusterIsReady() {
        ClusterObject c = create("early-snap", 1, 1, 1, null);
        c.spec.withObjectProperty("rkeConfig").putObject("etcdSnapshotCreate").put("generation", 1);
        lifecycle.specChanged(c);

        lifecycle.tick();
        step();

        assertThat(c.snapshotCreate.phaseIndex).isEqualTo(-1);
        for (int i = 0; i < 6; i++) {
            step();
        }
        assertThat(c.snapshotCreate.completedGeneration).isEqualTo(1);
        assertThat(store.snapshots).hasSize(1);
    }

    @Test
    void generationPresentAtCreationIsHistoryNotARequest() {
        ObjectNode spec = spec(1, 1, 1, null);
        spec.withObjectProperty("rkeConfig").putObject("rotateCertificates").put("generation", 3);
        ClusterObject c = lifecycle.createCluster(store.newMeta(SimStore.FLEET_NAMESPACE, "hist"), spec, true);

        step();

        assertThat(c.certificateRotation.phaseIndex).isEqualTo(-1);
        assertThat(c.certificateRotation.completedGeneration).isEqualTo(3);
    }

    @Test
    void upgradeDoesControlPlaneMachinesFirstThenWorkers() {
        ClusterObject c =
                lifecycle.createCluster(store.newMeta(SimStore.FLEET_NAMESPACE, "up"), spec(1, 1, 2, null), true);
        c.spec.put("kubernetesVersion", "v1.35.0+rke2r1");
        c.meta.generation++;
        lifecycle.specChanged(c);

        lifecycle.tick();
        step();

        List<MachineObject> upgraded = c.machines.stream()
                .filter(m -> m.kubeletVersion.equals("v1.35.0+rke2r1"))
                .toList();
        assertThat(upgraded).hasSize(1);
        assertThat(upgraded.get(0).etcd || upgraded.get(0).controlPlane).isTrue();
        for (int i = 0; i < 5; i++) {
            step();
        }
        assertThat(c.machines).allMatch(m -> m.kubeletVersion.equals("v1.35.0+rke2r1"));
        assertThat(c.appliedVersion).isEqualTo("v1.35.0+rke2r1");
    }

    @Test
    void deletedClusterIsPurgedAfterItsMachinesAreGone() {
        ClusterObject c =
                lifecycle.createCluster(store.newMeta(SimStore.FLEET_NAMESPACE, "gone"), spec(1, 1, 1, null), true);

        lifecycle.deleteCluster(c);
        assertThat(c.machines).allMatch(MachineObject::deleting);
        step();
        step();

        assertThat(store.clusters).doesNotContainKey("fleet-default/gone");
        assertThat(store.machines).isEmpty();
        assertThat(removed).containsExactly("gone");
    }

    @Test
    void stuckNewMachineStaysProvisioningWithoutANodeLongAfterANormalNewMachineRuns() {
        ClusterObject c = readyCluster("hang", null);
        MachineObject oldWorker = worker(c);
        c.newMachineFaults.put("workers", Fault.STUCK);
        scale(c, "workers", 2);
        scale(c, "cp", 2);

        for (int i = 0; i < 50; i++) {
            step();
        }

        MachineObject stuck = added(c, "workers");
        MachineObject normal = added(c, "cp");
        assertThat(normal.phase).isEqualTo(Phase.RUNNING);
        assertThat(stuck.phase).as("50 steps, the provisioning time is one").isEqualTo(Phase.PROVISIONING);
        assertThat(stuck.hasNode()).isFalse();
        assertThat(stuck.infrastructureReadyAt).isNull();
        assertThat(stuck.fault).isEqualTo(Fault.STUCK);
        assertThat(oldWorker.phase).as("a machine the pool had is not affected").isEqualTo(Phase.RUNNING);
        assertThat(oldWorker.fault).isEqualTo(Fault.NONE);

        ObjectNode rendered = Renderer.machine(stuck, null);
        assertThat(rendered.at("/status/phase").asText()).isEqualTo("Provisioning");
        assertThat(rendered.at("/status/nodeRef").isMissingNode()).isTrue();
        assertThat(rendered.at("/spec/providerID").isMissingNode()).isTrue();
        assertThat(condition(rendered, "InfrastructureReady").path("status").asText())
                .isEqualTo("False");
        assertThat(condition(rendered, "NodeReady").path("status").asText()).isEqualTo("Unknown");
        assertThat(rendered.at("/status/deprecated").isMissingNode())
                .as("a hang is no failure")
                .isTrue();
    }

    @Test
    void stuckNewMachineIsNotRemediatedByTheUnhealthyNodeTimeout() {
        ClusterObject c = readyCluster("hang-mhc", "1s");
        c.newMachineFaults.put("workers", Fault.STUCK);
        lifecycle.deleteMachine(worker(c));
        step();
        step();
        step();
        MachineObject stuck = added(c, "workers");
        assertThat(stuck.fault).isEqualTo(Fault.STUCK);

        clock.advance(Duration.ofHours(1));
        lifecycle.wake(c);
        lifecycle.tick();

        assertThat(stuck.deleting())
                .as("only a nodeStartupTimeout would catch a machine without a node")
                .isFalse();
        assertThat(stuck.phase).isEqualTo(Phase.PROVISIONING);
    }

    @Test
    void errorNewMachineFailsWhenItReachesProvisioningAsAFailedMachineDoes() {
        ClusterObject c = readyCluster("broken-image", null);
        c.newMachineFaults.put("workers", Fault.ERROR);
        lifecycle.deleteMachine(worker(c));
        step();

        MachineObject replacement = added(c, "workers");
        assertThat(replacement.phase).isEqualTo(Phase.PENDING);
        assertThat(replacement.fault).as("nothing yet before Provisioning").isEqualTo(Fault.NONE);
        step();

        assertThat(replacement.phase).isEqualTo(Phase.FAILED);
        assertThat(replacement.fault).isEqualTo(Fault.ERROR);
        assertThat(replacement.faultSince).isEqualTo(clock.instant());
        ObjectNode rendered = Renderer.machine(replacement, null);
        assertThat(condition(rendered, "InfrastructureReady").path("reason").asText())
                .isEqualTo("Error");
        assertThat(rendered.at("/status/deprecated/v1beta1/failureReason").asText())
                .isEqualTo("CreateError");
        for (int i = 0; i < 20; i++) {
            step();
        }
        assertThat(replacement.phase).isEqualTo(Phase.FAILED);
    }

    @Test
    void recoveredStuckMachineGoesOnToRunWithANode() {
        ClusterObject c = readyCluster("unhang", null);
        c.newMachineFaults.put("workers", Fault.STUCK);
        lifecycle.deleteMachine(worker(c));
        for (int i = 0; i < 10; i++) {
            step();
        }
        MachineObject stuck = added(c, "workers");
        assertThat(stuck.phase).isEqualTo(Phase.PROVISIONING);

        lifecycle.recoverMachine(stuck);
        step();
        step();

        assertThat(stuck.phase).isEqualTo(Phase.RUNNING);
        assertThat(stuck.hasNode()).isTrue();
        assertThat(condition(Renderer.machine(stuck, null), "NodeReady")
                        .path("lastTransitionTime")
                        .asText())
                .as("the node is Ready from when it registered")
                .isEqualTo(Json.time(stuck.nodeReadyAt));
    }

    @Test
    void recoveringANewMachineBeforeProvisioningTakesItsPoolFaultAway() {
        ClusterObject c = readyCluster("disarm", null);
        c.newMachineFaults.put("workers", Fault.STUCK);
        lifecycle.deleteMachine(worker(c));
        step();
        MachineObject pending = added(c, "workers");
        assertThat(pending.phase).isEqualTo(Phase.PENDING);

        lifecycle.recoverMachine(pending);
        for (int i = 0; i < 5; i++) {
            step();
        }

        assertThat(pending.phase).isEqualTo(Phase.RUNNING);
    }

    static Stream<Arguments> concurrency() {
        return Stream.of(
                arguments("a count", "3", 10, 3),
                arguments("a percentage rounds down", "10%", 25, 2),
                arguments("a small percentage is at least one", "10%", 3, 1),
                arguments("zero still upgrades one", "0", 5, 1),
                arguments("garbage means one", "fast", 5, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("concurrency")
    void workerConcurrencyIsHonoured(String rule, String value, int workers, int batch) {
        assertThat(Lifecycle.concurrency(value, workers)).isEqualTo(batch);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void step() {
        clock.advance(STEP);
        lifecycle.tick();
    }

    private ClusterObject create(String name, int etcd, int cp, int workers, String timeout) {
        return lifecycle.createCluster(
                store.newMeta(SimStore.FLEET_NAMESPACE, name), spec(etcd, cp, workers, timeout), false);
    }

    private ClusterObject readyCluster(String name, String timeout) {
        return lifecycle.createCluster(store.newMeta(SimStore.FLEET_NAMESPACE, name), spec(1, 1, 1, timeout), true);
    }

    private void scale(ClusterObject c, String pool, int quantity) {
        for (JsonNode p : c.spec.at("/rkeConfig/machinePools")) {
            if (p.path("name").asText().equals(pool)) {
                ((ObjectNode) p).put("quantity", quantity);
            }
        }
        c.meta.generation++;
        lifecycle.specChanged(c);
    }

    /** The pool's machine created last. */
    private static MachineObject added(ClusterObject c, String pool) {
        MachineObject last = null;
        for (MachineObject m : c.machines) {
            if (m.pool.equals(pool) && !m.deleting()) {
                last = m;
            }
        }
        return last;
    }

    private static JsonNode condition(ObjectNode machine, String type) {
        for (JsonNode cond : machine.at("/status/conditions")) {
            if (cond.path("type").asText().equals(type)) {
                return cond;
            }
        }
        throw new AssertionError("no condition " + type);
    }

    private static MachineObject worker(ClusterObject c) {
        return c.machines.stream().filter(m -> m.worker).findFirst().orElseThrow();
    }

    private static List<Phase> phases(ClusterObject c) {
        return c.machines.stream().map(m -> m.phase).toList();
    }

    private static ObjectNode spec(int etcd, int cp, int workers, String timeout) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("kubernetesVersion", "v1.34.2+rke2r1");
        ArrayNode pools = spec.putObject("rkeConfig").putArray("machinePools");
        pools.addObject().put("name", "etcd").put("quantity", etcd).put("etcdRole", true);
        pools.addObject().put("name", "cp").put("quantity", cp).put("controlPlaneRole", true);
        ObjectNode w = pools.addObject()
                .put("name", "workers")
                .put("quantity", workers)
                .put("workerRole", true);
        if (timeout != null) {
            w.put("unhealthyNodeTimeout", timeout);
        }
        return spec;
    }
}
