package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.platform.cluster.ClusterSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.KubernetesVersion;
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
import dev.kubeyard.platform.lifecycle.ClusterPlan.PlannedStatus;
import dev.kubeyard.platform.lifecycle.ClusterPlan.PoolNodes;
import dev.kubeyard.platform.lifecycle.DesiredCluster.OpenOperation;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.machine.MachinePhase;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RestoreMode;
import dev.kubeyard.rancher.client.provisioning.RkeConfig;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster lifecycle's rules, as a pure function of desired state, Rancher's state and the time: which Rancher
 * calls carry the spec and the open operations forward, and what status to record. Every pass starts from scratch;
 * nothing is remembered between passes except what the inventory and Rancher hold (DESIGN.md in this package).
 */
public final class ClusterPlanner {

    public static final String CONDITION_READY = "Ready";
    public static final String CONDITION_SYNCED = "Synced";

    private final RancherSpecs specs;
    private final Duration operationTimeout;

    public ClusterPlanner(RancherSpecs specs, Duration operationTimeout) {
        this.specs = Objects.requireNonNull(specs, "specs");
        this.operationTimeout = Objects.requireNonNull(operationTimeout, "operationTimeout");
    }

    public ClusterPlan plan(DesiredCluster desired, ObservedCluster observed, Instant now) {
        Nodes nodes = Nodes.of(desired.spec(), observed.machines());
        String observedVersion = oldestKubelet(observed.machines());
        String managementId =
                observed.cluster().flatMap(ProvisioningCluster::managementId).orElse(null);
        if (desired.deletionRequested()) {
            return planDeletion(desired, observed, nodes, observedVersion, managementId);
        }
        List<ClusterAction> actions = new ArrayList<>();
        if (desired.isExpired(now)) {
            actions.add(new RequestDeletion(
                    "Time-to-live of " + desired.spec().timeToLiveSeconds() + " s ran out at " + desired.expiresAt()));
            PlannedStatus status = status(
                    ClusterPhase.DELETING,
                    readyCondition(ConditionStatus.FALSE, "Expired", "The time-to-live ran out; deleting"),
                    syncedCondition(true, List.of(), desired),
                    desired.observedGeneration(),
                    observedVersion,
                    managementId,
                    nodes);
            return new ClusterPlan(actions, status);
        }

        Optional<ProvisioningCluster> current = observed.cluster();
        List<String> differences;
        boolean deletedOutside = current.map(c -> c.metadata().isDeleting()).orElse(false);
        if (current.isEmpty()) {
            differences = List.of("cluster missing in Rancher");
            addMissingMachineConfigs(desired, observed, actions);
            actions.add(new CreateCluster(
                    specs.provisioningCluster(desired.name(), desired.spec()),
                    "Creating cluster " + desired.name() + " in Rancher for generation " + desired.generation()));
        } else if (deletedOutside) {
            differences = List.of("Rancher is deleting the cluster outside Kubeyard; it is created again once gone");
        } else {
            differences = specs.differences(current.get(), desired.name(), desired.spec());
            if (!differences.isEmpty()) {
                addMissingMachineConfigs(desired, observed, actions);
                actions.add(new UpdateCluster(
                        desired.name(),
                        "Rancher differs from generation " + desired.generation() + ": "
                                + String.join(", ", differences)));
            }
        }
        boolean synced = differences.isEmpty();
        boolean usable = current.map(ProvisioningCluster::isUsable).orElse(false);
        boolean everReady = current.map(c ->
                        c.status() != null && Boolean.TRUE.equals(c.status().ready()))
                .orElse(false);

        boolean busy = planOperations(desired, observed, now, synced, usable, nodes, observedVersion, actions);
        addProgress(desired, observed, synced, nodes, actions);

        ClusterPhase phase;
        PlannedCondition ready;
        var state = current.map(c -> c.metadata().stateOrUnknown()).orElse(null);
        String rancherMessage =
                state == null || state.message() == null || state.message().isBlank()
                        ? ""
                        : " Rancher says: " + state.message();
        if (!everReady) {
            if (state != null && state.error() && !state.transitioning()) {
                phase = ClusterPhase.FAILED;
                ready = readyCondition(
                        ConditionStatus.FALSE, "ProvisioningFailed", "Provisioning failed." + rancherMessage);
            } else {
                phase = ClusterPhase.PROVISIONING;
                ready = readyCondition(
                        ConditionStatus.FALSE,
                        "Provisioning",
                        nodes.ready + " of " + nodes.desired + " nodes ready." + rancherMessage);
            }
        } else if (usable && synced && nodes.allReady() && !busy) {
            phase = ClusterPhase.READY;
            ready = readyCondition(ConditionStatus.TRUE, "Ready", "All " + nodes.desired + " nodes ready");
        } else if (!synced || busy || (state != null && state.transitioning())) {
            phase = ClusterPhase.UPDATING;
            ready = readyCondition(
                    usable ? ConditionStatus.TRUE : ConditionStatus.FALSE,
                    "Updating",
                    nodes.ready + " of " + nodes.desired + " nodes ready while the cluster is updated."
                            + rancherMessage);
        } else {
            phase = ClusterPhase.DEGRADED;
            ready = readyCondition(
                    ConditionStatus.FALSE,
                    "NodesNotReady",
                    nodes.ready + " of " + nodes.desired + " nodes ready." + rancherMessage);
        }
        PlannedStatus status = status(
                phase,
                ready,
                syncedCondition(synced, differences, desired),
                desired.generation(),
                observedVersion,
                managementId,
                nodes);
        return new ClusterPlan(actions, status);
    }

    private void addMissingMachineConfigs(
            DesiredCluster desired, ObservedCluster observed, List<ClusterAction> actions) {
        for (NodePoolSpec pool : desired.spec().nodePools()) {
            String name = specs.machineConfigName(desired.name(), pool);
            if (!observed.machineConfigs().contains(name)) {
                actions.add(new CreateMachineConfig(
                        specs.machineConfig(desired.name(), pool),
                        "Node spec of pool " + pool.name() + " needs machine config " + name));
            }
        }
    }

    /** Plans the open operations; returns whether one keeps the cluster busy (not Ready while it runs). */
    private boolean planOperations(
            DesiredCluster desired,
            ObservedCluster observed,
            Instant now,
            boolean synced,
            boolean usable,
            Nodes nodes,
            String observedVersion,
            List<ClusterAction> actions) {
        boolean dayTwoRunning =
                desired.operations().stream().anyMatch(o -> o.kind().isDayTwo() && o.state() == OperationState.RUNNING);
        boolean busy = false;
        boolean settled = synced && usable && nodes.allReady();
        for (OpenOperation op : desired.operations()) {
            boolean timedOut = now.isAfter(op.createdAt().plus(operationTimeout));
            switch (op.kind()) {
                case CREATE, UPDATE -> {
                    startIfPending(op, Map.of(), actions);
                    if (settled) {
                        actions.add(finish(
                                op,
                                OperationState.SUCCEEDED,
                                Map.of("generation", desired.generation()),
                                "Generation " + desired.generation() + " is Ready"));
                    } else if (timedOut) {
                        actions.add(timeout(op, nodes));
                    }
                }
                case UPGRADE -> {
                    String target = op.parameter("kubernetesVersion");
                    if (!Objects.equals(target, desired.spec().kubernetesVersion())) {
                        actions.add(finish(
                                op,
                                OperationState.CANCELLED,
                                Map.of(),
                                "Superseded: the spec now asks for "
                                        + desired.spec().kubernetesVersion()));
                        continue;
                    }
                    busy = true;
                    startIfPending(op, Map.of(), actions);
                    if (settled && target.equals(observedVersion)) {
                        actions.add(finish(
                                op,
                                OperationState.SUCCEEDED,
                                Map.of("kubernetesVersion", target),
                                "All nodes run " + target));
                        busy = false;
                    } else if (timedOut) {
                        actions.add(timeout(op, nodes));
                    }
                }
                case ROTATE_CERTIFICATES, ETCD_SNAPSHOT, ETCD_RESTORE -> {
                    if (op.state() == OperationState.PENDING) {
                        if (dayTwoRunning || !settled || observed.cluster().isEmpty()) {
                            continue; // waits its turn; a cluster that is not settled is not touched
                        }
                        long target = counter(observed.cluster().get(), op.kind()) + 1;
                        actions.add(new StartOperation(
                                op.id(),
                                Map.of("rancherGeneration", target),
                                op.kind().wireName() + " asks Rancher for generation " + target));
                        actions.add(requestGeneration(op, target));
                        dayTwoRunning = true;
                        busy = true;
                        continue;
                    }
                    busy = true;
                    long target = op.checkpointLong("rancherGeneration");
                    if (observed.cluster().isEmpty()) {
                        continue;
                    }
                    if (counter(observed.cluster().get(), op.kind()) < target) {
                        actions.add(requestGeneration(op, target)); // the request did not land before a crash
                        continue;
                    }
                    Optional<RkeControlPlane> plane = observed.controlPlane();
                    if (plane.isEmpty()) {
                        continue;
                    }
                    RkeControlPlane.Progress progress =
                            switch (op.kind()) {
                                case ROTATE_CERTIFICATES -> plane.get().certificateRotation(target);
                                case ETCD_SNAPSHOT -> plane.get().etcdSnapshotCreate(target);
                                default -> plane.get().etcdSnapshotRestore(target);
                            };
                    if (progress == RkeControlPlane.Progress.FINISHED
                            && (op.kind() != OperationKind.ETCD_RESTORE || usable)) {
                        actions.add(finish(
                                op,
                                OperationState.SUCCEEDED,
                                Map.of("rancherGeneration", target),
                                op.kind().wireName() + " finished"));
                    } else if (progress == RkeControlPlane.Progress.FAILED) {
                        actions.add(finish(
                                op,
                                OperationState.FAILED,
                                Map.of("rancherGeneration", target),
                                "Rancher reports " + op.kind().wireName() + " failed"));
                    } else if (timedOut) {
                        actions.add(timeout(op, nodes));
                    }
                }
                case REPLACE_NODE -> {
                    String machineName = op.parameter("machine");
                    Optional<Machine> machine = observed.machines().stream()
                            .filter(m -> m.name().equals(machineName))
                            .findFirst();
                    if (op.state() == OperationState.PENDING) {
                        if (dayTwoRunning || !synced) {
                            continue;
                        }
                        if (machine.isEmpty()) {
                            actions.add(finish(
                                    op,
                                    OperationState.FAILED,
                                    Map.of(),
                                    "Machine " + machineName + " no longer exists; nothing to replace"));
                            continue;
                        }
                        Optional<String> quorumProblem = etcdQuorumProblem(machine.get(), observed.machines(), nodes);
                        if (quorumProblem.isPresent()) {
                            actions.add(finish(op, OperationState.FAILED, Map.of(), quorumProblem.get()));
                            continue;
                        }
                        actions.add(new StartOperation(
                                op.id(), Map.of("machine", machineName), "Replacing node " + machineName));
                        actions.add(new DeleteMachine(
                                op.id(),
                                machineName,
                                "Replacing node " + machineName + " as requested; Rancher creates its successor"));
                        dayTwoRunning = true;
                        busy = true;
                        continue;
                    }
                    busy = true;
                    if (machine.isPresent() && !machine.get().isDeleting()) {
                        actions.add(new DeleteMachine(op.id(), machineName, "Resuming replacement of " + machineName));
                    } else if (machine.isEmpty() && settled) {
                        actions.add(finish(
                                op,
                                OperationState.SUCCEEDED,
                                Map.of("machine", machineName),
                                "Node " + machineName + " replaced; all " + nodes.desired + " nodes ready"));
                    } else if (timedOut) {
                        actions.add(timeout(op, nodes));
                    }
                }
                case DELETE -> {
                    // Only planned once deletion is requested (planDeletion).
                }
            }
        }
        return busy;
    }

    /**
     * Reports how far each operation left open by this plan has got: node readiness for creates and updates, nodes on
     * the target version for upgrades, a fixed midpoint for what Rancher reports only as running.
     */
    private static void addProgress(
            DesiredCluster desired,
            ObservedCluster observed,
            boolean synced,
            Nodes nodes,
            List<ClusterAction> actions) {
        java.util.Set<java.util.UUID> finished = new java.util.HashSet<>();
        java.util.Set<java.util.UUID> started = new java.util.HashSet<>();
        for (ClusterAction action : actions) {
            if (action instanceof FinishOperation f) {
                finished.add(f.operation());
            } else if (action instanceof StartOperation s) {
                started.add(s.operation());
            }
        }
        for (OpenOperation op : desired.operations()) {
            boolean running = op.state() == OperationState.RUNNING || started.contains(op.id());
            if (!running || finished.contains(op.id())) {
                continue;
            }
            int percent =
                    switch (op.kind()) {
                        case CREATE, UPDATE ->
                            synced ? 10 + 85 * Math.min(nodes.ready, nodes.desired) / Math.max(1, nodes.desired) : 5;
                        case UPGRADE -> {
                            String target = op.parameter("kubernetesVersion");
                            long total = observed.machines().stream()
                                    .filter(m -> !m.isDeleting())
                                    .count();
                            long done = observed.machines().stream()
                                    .filter(m -> !m.isDeleting() && m.status().nodeInfo() != null)
                                    .filter(m -> Objects.equals(
                                            target,
                                            String.valueOf(m.status().nodeInfo().get("kubeletVersion"))))
                                    .count();
                            yield (int) (5 + 90 * done / Math.max(1, total));
                        }
                        case REPLACE_NODE ->
                            observed.machines().stream().anyMatch(m -> m.name().equals(op.parameter("machine")))
                                    ? 30
                                    : 60;
                        case DELETE -> observed.cluster().isPresent() ? 50 : 90;
                        default -> 50;
                    };
            percent = Math.min(95, percent);
            if (percent > op.progress()) {
                actions.add(new ClusterAction.ReportProgress(
                        op.id(), percent, op.kind().wireName() + " at " + percent + "%"));
            }
        }
    }

    private ClusterPlan planDeletion(
            DesiredCluster desired,
            ObservedCluster observed,
            Nodes nodes,
            String observedVersion,
            String managementId) {
        List<ClusterAction> actions = new ArrayList<>();
        OpenOperation deleteOp = null;
        for (OpenOperation op : desired.operations()) {
            if (op.kind() == OperationKind.DELETE) {
                deleteOp = deleteOp == null ? op : deleteOp;
            } else {
                actions.add(finish(op, OperationState.CANCELLED, Map.of(), "The cluster is being deleted"));
            }
        }
        if (deleteOp != null) {
            startIfPending(deleteOp, Map.of(), actions);
        }
        if (observed.cluster().isPresent()) {
            if (!observed.cluster().get().metadata().isDeleting()) {
                actions.add(new DeleteCluster(desired.name(), "Deleting cluster " + desired.name() + " as requested"));
            }
        } else {
            for (String config : specs.machineConfigNames(desired.name(), desired.spec())) {
                actions.add(new DeleteMachineConfig(
                        specs.machineConfigKind(), config, "Cluster " + desired.name() + " is gone from Rancher"));
            }
            if (deleteOp != null) {
                actions.add(finish(deleteOp, OperationState.SUCCEEDED, Map.of(), "Cluster deleted"));
            }
            actions.add(new ForgetCluster("Cluster " + desired.name() + " is gone from Rancher"));
        }
        PlannedStatus status = status(
                ClusterPhase.DELETING,
                readyCondition(
                        ConditionStatus.FALSE, "Deleting", "Deleting; " + nodes.total + " machines left in Rancher"),
                syncedCondition(true, List.of(), desired),
                desired.observedGeneration(),
                observedVersion,
                managementId,
                nodes);
        return new ClusterPlan(actions, status);
    }

    private static void startIfPending(OpenOperation op, Map<String, Object> checkpoint, List<ClusterAction> actions) {
        if (op.state() == OperationState.PENDING) {
            actions.add(new StartOperation(
                    op.id(), checkpoint, "Started " + op.kind().wireName()));
        }
    }

    private static FinishOperation finish(
            OpenOperation op, OperationState state, Map<String, Object> result, String message) {
        return new FinishOperation(op.id(), state, result, message, op.kind().wireName() + ": " + message);
    }

    private FinishOperation timeout(OpenOperation op, Nodes nodes) {
        return finish(
                op,
                OperationState.FAILED,
                Map.of(),
                "Not done after " + operationTimeout.toMinutes() + " min: " + nodes.ready + " of " + nodes.desired
                        + " nodes ready");
    }

    private static RequestGeneration requestGeneration(OpenOperation op, long target) {
        String snapshot = op.kind() == OperationKind.ETCD_RESTORE ? op.parameter("snapshot") : null;
        RestoreMode mode = null;
        if (op.kind() == OperationKind.ETCD_RESTORE) {
            String wanted = op.parameter("restoreMode");
            mode = RestoreMode.NONE;
            for (RestoreMode m : RestoreMode.values()) {
                if (m.wire().equals(wanted)) {
                    mode = m;
                }
            }
        }
        return new RequestGeneration(
                op.id(),
                op.kind(),
                target,
                snapshot,
                mode,
                op.kind().wireName() + ": asking Rancher for generation " + target
                        + (snapshot == null ? "" : " from snapshot " + snapshot));
    }

    /** The generation counter Rancher holds for an operation kind. */
    static long counter(ProvisioningCluster cluster, OperationKind kind) {
        RkeConfig rke = cluster.spec() == null ? null : cluster.spec().rkeConfig();
        if (rke == null) {
            return 0;
        }
        return switch (kind) {
            case ROTATE_CERTIFICATES ->
                rke.rotateCertificates() == null ? 0 : rke.rotateCertificates().value();
            case ETCD_SNAPSHOT ->
                rke.etcdSnapshotCreate() == null ? 0 : rke.etcdSnapshotCreate().value();
            case ETCD_RESTORE ->
                rke.etcdSnapshotRestore() == null
                        ? 0
                        : rke.etcdSnapshotRestore().value();
            default -> throw new IllegalArgumentException(kind + " has no generation counter");
        };
    }

    /**
     * Refuses to delete a ready etcd member when the members left ready would be fewer than a quorum of the etcd nodes
     * the spec asks for.
     */
    static Optional<String> etcdQuorumProblem(Machine machine, List<Machine> machines, Nodes nodes) {
        if (!machine.roles().contains(NodeRole.ETCD) || !isReady(machine)) {
            return Optional.empty();
        }
        long readyEtcd = machines.stream()
                .filter(m -> m.roles().contains(NodeRole.ETCD))
                .filter(ClusterPlanner::isReady)
                .count();
        int members = Math.max(nodes.etcdDesired, (int) readyEtcd);
        int quorum = members / 2 + 1;
        if (readyEtcd - 1 < quorum) {
            return Optional.of("Replacing " + machine.name() + " would leave " + (readyEtcd - 1) + " of " + members
                    + " etcd members ready, below the quorum of " + quorum + ": replacement held back");
        }
        return Optional.empty();
    }

    public static boolean isReady(Machine machine) {
        return !machine.isDeleting()
                && machine.phase() == MachinePhase.RUNNING
                && machine.condition("NodeHealthy").map(Condition::isTrue).orElse(true);
    }

    /** The oldest kubelet version among the running nodes, null when none reports one. */
    static String oldestKubelet(List<Machine> machines) {
        KubernetesVersion oldest = null;
        String oldestText = null;
        for (Machine m : machines) {
            if (m.isDeleting() || m.status().nodeInfo() == null) {
                continue;
            }
            Object kubelet = m.status().nodeInfo().get("kubeletVersion");
            if (kubelet == null) {
                continue;
            }
            try {
                KubernetesVersion version = KubernetesVersion.parse(kubelet.toString());
                if (oldest == null || version.compareTo(oldest) < 0) {
                    oldest = version;
                    oldestText = kubelet.toString();
                }
            } catch (IllegalArgumentException e) {
                // A kubelet version we cannot read does not count towards the oldest.
            }
        }
        return oldestText;
    }

    private static PlannedCondition readyCondition(ConditionStatus status, String reason, String message) {
        return new PlannedCondition(CONDITION_READY, status, reason, message);
    }

    private static PlannedCondition syncedCondition(boolean synced, List<String> differences, DesiredCluster desired) {
        return synced
                ? new PlannedCondition(
                        CONDITION_SYNCED,
                        ConditionStatus.TRUE,
                        "Synced",
                        "Rancher has generation " + desired.generation() + " of the spec")
                : new PlannedCondition(
                        CONDITION_SYNCED,
                        ConditionStatus.FALSE,
                        "Applying",
                        "Carrying generation " + desired.generation() + " to Rancher: "
                                + String.join(", ", differences));
    }

    private static PlannedStatus status(
            ClusterPhase phase,
            PlannedCondition ready,
            PlannedCondition synced,
            long observedGeneration,
            String observedVersion,
            String managementId,
            Nodes nodes) {
        return new PlannedStatus(
                phase,
                List.of(ready, synced),
                observedGeneration,
                observedVersion,
                managementId,
                nodes.desired,
                nodes.ready,
                nodes.pools);
    }

    /** Node counts: desired from the spec, total and ready from Rancher's machines (deleting ones not counted). */
    record Nodes(int desired, int total, int ready, int etcdDesired, Map<String, PoolNodes> pools) {

        static Nodes of(ClusterSpec spec, List<Machine> machines) {
            int desired = 0;
            int etcd = 0;
            Map<String, PoolNodes> pools = new LinkedHashMap<>();
            List<NodePoolSpec> specPools = spec.nodePools() == null ? List.of() : spec.nodePools();
            for (NodePoolSpec pool : specPools) {
                desired += pool.quantityOrZero();
                if (pool.hasRole(ClusterSpec.ROLE_ETCD)) {
                    etcd += pool.quantityOrZero();
                }
                int total = 0;
                int ready = 0;
                for (Machine m : machines) {
                    if (m.isDeleting() || !pool.name().equals(m.pool().orElse(null))) {
                        continue;
                    }
                    total++;
                    if (isReady(m)) {
                        ready++;
                    }
                }
                pools.put(pool.name(), new PoolNodes(total, ready));
            }
            int total = (int) machines.stream().filter(m -> !m.isDeleting()).count();
            int ready = (int) machines.stream().filter(ClusterPlanner::isReady).count();
            return new Nodes(desired, total, ready, etcd, pools);
        }

        boolean allReady() {
            return ready >= desired && total == desired;
        }
    }
}
