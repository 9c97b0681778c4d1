package dev.kubeyard.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.platform.cluster.ClusterSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodeSpec;
import dev.kubeyard.platform.lifecycle.ClusterAction.CreateCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.CreateMachineConfig;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteMachine;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteMachineConfig;
import dev.kubeyard.platform.lifecycle.ClusterAction.FinishOperation;
import dev.kubeyard.platform.lifecycle.ClusterAction.ForgetCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.RequestDeletion;
import dev.kubeyard.platform.lifecycle.ClusterAction.RequestGeneration;
import dev.kubeyard.platform.lifecycle.ClusterAction.StartOperation;
import dev.kubeyard.platform.lifecycle.ClusterAction.UpdateCluster;
import dev.kubeyard.platform.lifecycle.ClusterPlan.PlannedCondition;
import dev.kubeyard.platform.lifecycle.DesiredCluster.OpenOperation;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.model.ResourceState;
import dev.kubeyard.rancher.client.provisioning.ClusterStatus;
import dev.kubeyard.rancher.client.provisioning.GenerationRequest;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lifecycle rules as a pure function: desired state and Rancher's state in, actions and status out. */
class ClusterPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String VERSION = "v1.33.5+rke2r1";
    static final RancherSpecs SPECS = new RancherSpecs("fleet-default", "OpenstackConfig", null);
    static final ClusterPlanner PLANNER = new ClusterPlanner(SPECS, Duration.ofMinutes(30));
    static final NodeSpec NODE = new NodeSpec("ubuntu-24.04", "m1.large", "private", Map.of());

    static ClusterSpec spec(int etcd, int workers) {
        return new ClusterSpec(
                "payments",
                VERSION,
                Map.of("env", "test"),
                null,
                List.of(
                        new NodePoolSpec("cp", List.of("etcd", "controlplane"), etcd, NODE, Map.of(), List.of()),
                        new NodePoolSpec("workers", List.of("worker"), workers, NODE, Map.of(), List.of())),
                Map.of());
    }

    static DesiredCluster desired(ClusterSpec spec, OpenOperation... operations) {
        return new DesiredCluster(
                1, "alpha", 2, spec, false, null, "corr-1", 1, NOW.minusSeconds(60), List.of(operations));
    }

    static DesiredCluster deleting(ClusterSpec spec, OpenOperation... operations) {
        return new DesiredCluster(
                1, "alpha", 3, spec, true, null, "corr-1", 2, NOW.minusSeconds(60), List.of(operations));
    }

    static OpenOperation op(
            OperationKind kind, OperationState state, Map<String, Object> parameters, Map<String, Object> checkpoint) {
        return new OpenOperation(UUID.randomUUID(), kind, state, parameters, checkpoint, 0, NOW.minusSeconds(30));
    }

    /** Rancher holding exactly the spec, Ready or not. */
    static ProvisioningCluster rancher(ClusterSpec spec, boolean ready, boolean transitioning) {
        ProvisioningCluster pc = SPECS.provisioningCluster("alpha", spec);
        ObjectMeta meta = new ObjectMeta(
                "alpha",
                "fleet-default",
                null,
                "uid-1",
                "7",
                5L,
                "2026-11-22T09:00:00Z",
                null,
                pc.metadata().labels(),
                Map.of(),
                List.of(),
                new ResourceState(ready ? "active" : "provisioning", false, transitioning, ""),
                null);
        String status = ready ? "True" : "False";
        List<Condition> conditions = Stream.of("Ready", "Updated", "Provisioned")
                .map(t -> new Condition(t, status, "", "", "", "", false, false, null))
                .toList();
        return new ProvisioningCluster(
                pc.apiVersion(),
                pc.kind(),
                meta,
                pc.spec(),
                new ClusterStatus("c-m-abc", ready, 5L, conditions, null, true, null, null),
                null);
    }

    static Machine machine(String name, String pool, boolean etcd, boolean ready) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Machine.POOL_LABEL, pool);
        if (etcd) {
            labels.put("rke.cattle.io/etcd-role", "true");
        } else {
            labels.put("rke.cattle.io/worker-role", "true");
        }
        ObjectMeta meta = ObjectMeta.named("fleet-default", name).withLabels(labels);
        var healthy = new Condition("NodeHealthy", ready ? "True" : "False", "", "", "", "", false, false, null);
        return new Machine(
                meta,
                null,
                new Machine.Status(
                        "Running",
                        new Machine.NodeRef(name),
                        List.of(),
                        Map.of("kubeletVersion", VERSION),
                        List.of(healthy),
                        null,
                        null),
                null);
    }

    static List<Machine> machines(int etcd, int etcdReady, int workers) {
        List<Machine> out = new ArrayList<>();
        for (int i = 0; i < etcd; i++) {
            out.add(machine("cp-" + i, "cp", true, i < etcdReady));
        }
        for (int i = 0; i < workers; i++) {
            out.add(machine("w-" + i, "workers", false, true));
        }
        return out;
    }

    static Set<String> allConfigs(ClusterSpec spec) {
        return new HashSet<>(SPECS.machineConfigNames("alpha", spec));
    }

    static ObservedCluster observed(ProvisioningCluster cluster, List<Machine> machines) {
        return new ObservedCluster(Optional.of(cluster), machines, allConfigs(spec(1, 1)), Optional.empty());
    }

    static PlannedCondition condition(ClusterPlan plan, String type) {
        return plan.status().conditions().stream()
                .filter(c -> c.type().equals(type))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void createsMachineConfigsBeforeTheClusterWhenRancherHasNone() {
        ClusterPlan plan = PLANNER.plan(
                desired(spec(1, 2)), new ObservedCluster(Optional.empty(), List.of(), Set.of(), Optional.empty()), NOW);

        assertThat(acts(plan)).hasSize(3);
        assertThat(acts(plan).subList(0, 2)).allMatch(a -> a instanceof CreateMachineConfig);
        assertThat(acts(plan).get(2)).isInstanceOf(CreateCluster.class);
        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.PROVISIONING);
        assertThat(condition(plan, "Synced").status()).isEqualTo(ConditionStatus.FALSE);
    }

    @Test
    void createsOnlyTheMachineConfigsThatAreMissing() {
        ClusterSpec spec = spec(1, 2);
        Set<String> one = Set.of(SPECS.machineConfigNames("alpha", spec).getFirst());
        ClusterPlan plan = PLANNER.plan(
                desired(spec), new ObservedCluster(Optional.empty(), List.of(), one, Optional.empty()), NOW);

        assertThat(acts(plan)).filteredOn(a -> a instanceof CreateMachineConfig).hasSize(1);
    }

    @Test
    void doesNothingWhenRancherHasTheSpecAndEveryNodeIsReady() {
        ClusterSpec spec = spec(1, 2);
        ClusterPlan plan = PLANNER.plan(desired(spec), observed(rancher(spec, true, false), machines(1, 1, 2)), NOW);

        assertThat(acts(plan)).isEmpty();
        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.READY);
        assertThat(plan.status().nodesReady()).isEqualTo(3);
        assertThat(plan.status().observedGeneration()).isEqualTo(2);
        assertThat(plan.status().observedKubernetesVersion()).isEqualTo(VERSION);
        assertThat(condition(plan, "Synced").status()).isEqualTo(ConditionStatus.TRUE);
    }

    @Test
    void updatesRancherWhenAPoolQuantityDiffersAndSaysWhat() {
        ClusterSpec inRancher = spec(1, 2);
        ClusterPlan plan =
                PLANNER.plan(desired(spec(1, 5)), observed(rancher(inRancher, true, false), machines(1, 1, 2)), NOW);

        assertThat(acts(plan)).singleElement().isInstanceOf(UpdateCluster.class);
        assertThat(acts(plan).getFirst().reason()).contains("pool workers quantity 2 -> 5");
        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.UPDATING);
    }

    @Test
    void aChangedNodeSpecPointsThePoolAtANewMachineConfig() {
        ClusterSpec before = spec(1, 2);
        NodeSpec bigger = new NodeSpec("ubuntu-24.04", "m1.xlarge", "private", Map.of());
        List<NodePoolSpec> pools = new ArrayList<>(before.nodePools());
        pools.set(1, new NodePoolSpec("workers", List.of("worker"), 2, bigger, Map.of(), List.of()));
        ClusterSpec after = before.withNodePools(pools);
        ObservedCluster seen = new ObservedCluster(
                Optional.of(rancher(before, true, false)), machines(1, 1, 2), allConfigs(before), Optional.empty());

        ClusterPlan plan = PLANNER.plan(desired(after), seen, NOW);

        assertThat(acts(plan)).hasSize(2);
        CreateMachineConfig config = (CreateMachineConfig) acts(plan).getFirst();
        assertThat(config.config().field("flavorName")).isEqualTo("m1.xlarge");
        assertThat(config.config().name())
                .isNotEqualTo(
                        SPECS.machineConfigName("alpha", before.nodePools().get(1)));
        assertThat(acts(plan).get(1)).isInstanceOf(UpdateCluster.class);
    }

    @Test
    void requestsDeletionOnceTheTimeToLiveRanOut() {
        ClusterSpec spec = spec(1, 1);
        DesiredCluster expired = new DesiredCluster(
                1, "alpha", 2, spec, false, NOW.minusSeconds(1), "c", 2, NOW.minusSeconds(7200), List.of());

        ClusterPlan plan = PLANNER.plan(expired, observed(rancher(spec, true, false), machines(1, 1, 1)), NOW);

        assertThat(acts(plan)).singleElement().isInstanceOf(RequestDeletion.class);
    }

    @Test
    void deletionCancelsOtherOperationsAndDeletesTheRancherCluster() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation snapshot = op(OperationKind.ETCD_SNAPSHOT, OperationState.PENDING, Map.of(), Map.of());
        OpenOperation delete = op(OperationKind.DELETE, OperationState.PENDING, Map.of(), Map.of());

        ClusterPlan plan = PLANNER.plan(
                deleting(spec, snapshot, delete), observed(rancher(spec, true, false), machines(1, 1, 1)), NOW);

        assertThat(acts(plan)).hasSize(3);
        assertThat(acts(plan).get(0))
                .isEqualTo(new FinishOperation(
                        snapshot.id(),
                        OperationState.CANCELLED,
                        Map.of(),
                        "The cluster is being deleted",
                        "EtcdSnapshot: The cluster is being deleted"));
        assertThat(acts(plan).get(1)).isInstanceOf(StartOperation.class);
        assertThat(acts(plan).get(2)).isInstanceOf(DeleteCluster.class);
        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.DELETING);
    }

    @Test
    void deletionWaitsWhileRancherIsDeletingAndForgetsTheClusterOnceGone() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation delete = op(OperationKind.DELETE, OperationState.RUNNING, Map.of(), Map.of());
        ProvisioningCluster going = rancher(spec, true, true);
        going = going.withMetadata(new ObjectMeta(
                "alpha",
                "fleet-default",
                null,
                "uid",
                "8",
                6L,
                null,
                "2026-11-22T09:59:00Z",
                Map.of(),
                Map.of(),
                List.of(),
                null,
                null));

        assertThat(PLANNER.plan(deleting(spec, delete), observed(going, List.of()), NOW)
                        .actions())
                .isEmpty();

        ClusterPlan gone = PLANNER.plan(
                deleting(spec, delete),
                new ObservedCluster(Optional.empty(), List.of(), Set.of(), Optional.empty()),
                NOW);
        assertThat(acts(gone)).filteredOn(a -> a instanceof DeleteMachineConfig).hasSize(2);
        assertThat(acts(gone).getLast()).isInstanceOf(ForgetCluster.class);
        assertThat(acts(gone))
                .filteredOn(a -> a instanceof FinishOperation f && f.state() == OperationState.SUCCEEDED)
                .hasSize(1);
    }

    @Test
    void snapshotStartsWithACheckpointAndAsksForTheNextGeneration() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation snapshot = op(OperationKind.ETCD_SNAPSHOT, OperationState.PENDING, Map.of(), Map.of());

        ClusterPlan plan =
                PLANNER.plan(desired(spec, snapshot), observed(rancher(spec, true, false), machines(1, 1, 1)), NOW);

        assertThat(acts(plan)).hasSize(2);
        assertThat(acts(plan).get(0)).isInstanceOfSatisfying(StartOperation.class, s -> assertThat(s.checkpoint())
                .containsEntry("rancherGeneration", 1L));
        assertThat(acts(plan).get(1)).isInstanceOfSatisfying(RequestGeneration.class, r -> assertThat(r.generation())
                .isEqualTo(1));
        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.UPDATING);
    }

    @Test
    void aRequestLostInACrashIsAskedForAgainWithTheSameGeneration() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation running =
                op(OperationKind.ETCD_SNAPSHOT, OperationState.RUNNING, Map.of(), Map.of("rancherGeneration", 4L));

        ClusterPlan plan =
                PLANNER.plan(desired(spec, running), observed(rancher(spec, true, false), machines(1, 1, 1)), NOW);

        assertThat(acts(plan)).singleElement().isInstanceOfSatisfying(RequestGeneration.class, r -> assertThat(
                        r.generation())
                .isEqualTo(4));
    }

    @Test
    void aRequestThatLandedIsNotAskedForTwiceAndFinishesWhenRancherSaysSo() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation running =
                op(OperationKind.ETCD_SNAPSHOT, OperationState.RUNNING, Map.of(), Map.of("rancherGeneration", 1L));
        ProvisioningCluster asked = rancher(spec, true, false);
        asked = asked.withSpec(
                asked.spec().withRkeConfig(asked.spec().rkeConfig().withEtcdSnapshotCreate(new GenerationRequest(1L))));
        RkeControlPlane inProgress = plane("Started");
        RkeControlPlane finished = plane("Finished");

        ClusterPlan waiting = PLANNER.plan(
                desired(spec, running),
                new ObservedCluster(Optional.of(asked), machines(1, 1, 1), allConfigs(spec), Optional.of(inProgress)),
                NOW);
        ClusterPlan done = PLANNER.plan(
                desired(spec, running),
                new ObservedCluster(Optional.of(asked), machines(1, 1, 1), allConfigs(spec), Optional.of(finished)),
                NOW);

        assertThat(acts(waiting)).isEmpty();
        assertThat(acts(done)).singleElement().isInstanceOfSatisfying(FinishOperation.class, f -> assertThat(f.state())
                .isEqualTo(OperationState.SUCCEEDED));
    }

    @Test
    void aSecondDayTwoOperationWaitsForTheRunningOne() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation running = op(
                OperationKind.ROTATE_CERTIFICATES, OperationState.RUNNING, Map.of(), Map.of("rancherGeneration", 9L));
        OpenOperation waiting = op(OperationKind.ETCD_SNAPSHOT, OperationState.PENDING, Map.of(), Map.of());

        ClusterPlan plan = PLANNER.plan(
                desired(spec, running, waiting), observed(rancher(spec, true, false), machines(1, 1, 1)), NOW);

        assertThat(acts(plan))
                .noneMatch(a -> a instanceof StartOperation s && s.operation().equals(waiting.id()));
    }

    @Test
    void anOperationNotDoneInTimeFails() {
        ClusterSpec spec = spec(1, 1);
        OpenOperation old = new OpenOperation(
                UUID.randomUUID(),
                OperationKind.CREATE,
                OperationState.RUNNING,
                Map.of("generation", 2),
                Map.of(),
                0,
                NOW.minus(Duration.ofHours(1)));

        ClusterPlan plan = PLANNER.plan(desired(spec, old), observed(rancher(spec, false, true), List.of()), NOW);

        assertThat(acts(plan)).singleElement().isInstanceOfSatisfying(FinishOperation.class, f -> {
            assertThat(f.state()).isEqualTo(OperationState.FAILED);
            assertThat(f.message()).contains("30 min").contains("0 of 2 nodes ready");
        });
    }

    static Stream<Arguments> quorum() {
        return Stream.of(
                Arguments.argumentSet("holdsBackReplacingTheOnlyEtcdNode", 1, 1, true, true),
                Arguments.argumentSet("allowsReplacingAHealthyMemberOfThreeHealthy", 3, 3, true, false),
                Arguments.argumentSet("holdsBackReplacingAHealthyMemberWhenAnotherIsDown", 3, 2, true, true),
                Arguments.argumentSet("allowsReplacingTheMemberThatIsDown", 3, 2, false, false),
                Arguments.argumentSet("allowsReplacingAHealthyMemberOfFiveWithOneDown", 5, 4, true, false),
                Arguments.argumentSet("holdsBackReplacingAHealthyMemberOfFiveWithTwoDown", 5, 3, true, true));
    }

    @ParameterizedTest
    @MethodSource("quorum")
    void replacingAnEtcdNodeNeverLeavesEtcdBelowQuorum(int etcd, int etcdReady, boolean victimReady, boolean heldBack) {
        ClusterSpec spec = spec(etcd, 1);
        List<Machine> machines = machines(etcd, etcdReady, 1);
        // machines() makes the first etcdReady members ready; pick the victim accordingly.
        String victim = victimReady ? "cp-0" : "cp-" + (etcd - 1);
        OpenOperation replace =
                op(OperationKind.REPLACE_NODE, OperationState.PENDING, Map.of("machine", victim), Map.of());

        ClusterPlan plan = PLANNER.plan(desired(spec, replace), observed(rancher(spec, true, false), machines), NOW);

        if (heldBack) {
            assertThat(acts(plan)).noneMatch(a -> a instanceof DeleteMachine);
            assertThat(acts(plan)).singleElement().isInstanceOfSatisfying(FinishOperation.class, f -> assertThat(
                            f.message())
                    .contains("quorum"));
        } else {
            assertThat(acts(plan))
                    .anyMatch(a -> a instanceof DeleteMachine d && d.machine().equals(victim));
        }
    }

    @Test
    void aDegradedClusterIsNotReady() {
        ClusterSpec spec = spec(1, 2);
        List<Machine> machines = new ArrayList<>(machines(1, 1, 1));
        machines.add(machine("w-sick", "workers", false, false));

        ClusterPlan plan = PLANNER.plan(desired(spec), observed(rancher(spec, true, false), machines), NOW);

        assertThat(plan.status().phase()).isEqualTo(ClusterPhase.DEGRADED);
        assertThat(condition(plan, "Ready").message()).startsWith("2 of 3 nodes ready");
    }

    /** The plan's actions without progress reports (those have their own test). */
    static List<ClusterAction> acts(ClusterPlan plan) {
        return plan.actions().stream()
                .filter(a -> !(a instanceof ClusterAction.ReportProgress))
                .toList();
    }

    @Test
    void runningCreateReportsProgressByReadyNodesAndNeverBackwards() {
        ClusterSpec spec = spec(1, 3);
        OpenOperation create = op(OperationKind.CREATE, OperationState.RUNNING, Map.of("generation", 2), Map.of());
        List<Machine> half = new ArrayList<>(machines(1, 1, 1));
        half.add(machine("w-late", "workers", false, false));
        half.add(machine("w-later", "workers", false, false));

        ClusterPlan plan = PLANNER.plan(desired(spec, create), observed(rancher(spec, true, false), half), NOW);

        assertThat(plan.actions())
                .filteredOn(a -> a instanceof ClusterAction.ReportProgress)
                .singleElement()
                .isInstanceOfSatisfying(ClusterAction.ReportProgress.class, p -> assertThat(p.percent())
                        .isEqualTo(52));
        OpenOperation further = new OpenOperation(
                create.id(),
                create.kind(),
                create.state(),
                create.parameters(),
                create.checkpoint(),
                80,
                create.createdAt());
        assertThat(PLANNER.plan(desired(spec, further), observed(rancher(spec, true, false), half), NOW)
                        .actions())
                .noneMatch(a -> a instanceof ClusterAction.ReportProgress);
    }

    static RkeControlPlane plane(String snapshotPhase) {
        return new RkeControlPlane(
                null,
                new RkeControlPlane.Status(
                        null, new GenerationRequest(1L), snapshotPhase, null, null, null, null, null, null),
                null);
    }
}
