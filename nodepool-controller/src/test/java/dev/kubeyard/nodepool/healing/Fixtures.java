package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Observations built for the tests: machines and nodes, pools, clusters, all relative to {@link #NOW}. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String FLEET = "openstack/eu-west-1";
    static final HealingPolicy DEFAULTS = HealingPolicy.defaults();
    static final HealingPlanner PLANNER = new HealingPlanner();

    private Fixtures() {}

    static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    static NodeBuilder machine(String name) {
        return new NodeBuilder(name);
    }

    /** A machine two days old, running, its node Ready. */
    static ObservedNode healthy(String name) {
        return machine(name).build();
    }

    static ObservedNode notReadyFor(String name, Duration duration) {
        return machine(name).notReadyFor(duration).build();
    }

    static List<ObservedNode> healthy(String prefix, int count) {
        List<ObservedNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(healthy(prefix + "-" + i));
        }
        return nodes;
    }

    static ObservedPool workers(int desired, List<ObservedNode> nodes) {
        return new ObservedPool("workers", Set.of(NodeRole.WORKER), desired, false, nodes);
    }

    /** A pool of etcd and control-plane nodes, named {@code cp}. */
    static ObservedPool etcd(int desired, List<ObservedNode> nodes) {
        return new ObservedPool("cp", Set.of(NodeRole.ETCD, NodeRole.CONTROL_PLANE), desired, false, nodes);
    }

    static ClusterBuilder cluster(String name, ObservedPool... pools) {
        return new ClusterBuilder(name, List.of(pools));
    }

    static List<ObservedNode> with(List<ObservedNode> nodes, ObservedNode... more) {
        List<ObservedNode> all = new ArrayList<>(nodes);
        all.addAll(List.of(more));
        return all;
    }

    static final class NodeBuilder {
        private final String machine;
        private Optional<String> node;
        private MachinePhase phase = MachinePhase.RUNNING;
        private Instant createdAt = NOW.minus(Duration.ofDays(2));
        private Optional<Instant> deletingSince = Optional.empty();
        private final List<NodeCondition> conditions = new ArrayList<>();
        private Optional<String> machineMessage = Optional.empty();
        private final List<NodeEvent> events = new ArrayList<>();

        NodeBuilder(String machine) {
            this.machine = machine;
            this.node = Optional.of(machine);
            conditions.add(NodeCondition.of(NodeCondition.READY, ConditionStatus.TRUE, createdAt));
        }

        NodeBuilder condition(String type, ConditionStatus status, Instant since) {
            conditions.removeIf(c -> c.type().equals(type));
            conditions.add(NodeCondition.of(type, status, since));
            return this;
        }

        NodeBuilder notReadySince(Instant since) {
            return condition(NodeCondition.READY, ConditionStatus.FALSE, since);
        }

        NodeBuilder notReadyFor(Duration duration) {
            return notReadySince(NOW.minus(duration));
        }

        NodeBuilder readyUnknownFor(Duration duration) {
            return condition(NodeCondition.READY, ConditionStatus.UNKNOWN, NOW.minus(duration));
        }

        NodeBuilder readySince(Instant since) {
            return condition(NodeCondition.READY, ConditionStatus.TRUE, since);
        }

        NodeBuilder createdAt(Instant at) {
            this.createdAt = at;
            return this;
        }

        /** Not running yet, no node: phase Provisioning, created {@code at}. */
        NodeBuilder provisioningSince(Instant at) {
            this.phase = MachinePhase.PROVISIONING;
            this.node = Optional.empty();
            this.createdAt = at;
            conditions.clear();
            return this;
        }

        NodeBuilder provisioningFor(Duration age) {
            return provisioningSince(NOW.minus(age));
        }

        /** Running, its node joined but not Ready yet. */
        NodeBuilder joiningSince(Instant createdAt) {
            this.phase = MachinePhase.RUNNING;
            this.node = Optional.of(machine);
            this.createdAt = createdAt;
            conditions.clear();
            conditions.add(NodeCondition.of(NodeCondition.READY, ConditionStatus.FALSE, createdAt));
            return this;
        }

        NodeBuilder deletingSince(Instant since) {
            this.deletingSince = Optional.of(since);
            return this;
        }

        NodeBuilder deletingFor(Duration duration) {
            return deletingSince(NOW.minus(duration));
        }

        NodeBuilder failed(String message) {
            this.phase = MachinePhase.FAILED;
            this.machineMessage = Optional.of(message);
            return this;
        }

        NodeBuilder phase(MachinePhase phase) {
            this.phase = phase;
            return this;
        }

        NodeBuilder noConditions() {
            conditions.clear();
            return this;
        }

        NodeBuilder event(Instant at, String reason, String message) {
            events.add(new NodeEvent(at, "Warning", reason, message));
            return this;
        }

        ObservedNode build() {
            return new ObservedNode(machine, node, phase, createdAt, deletingSince, conditions, machineMessage, events);
        }
    }

    static final class ClusterBuilder {
        private final String name;
        private final List<ObservedPool> pools;
        private String fleetKey = FLEET;
        private boolean rancherReachable = true;
        private boolean apiReachable = true;
        private Set<DayTwoOperation> operations = Set.of();
        private boolean paused;
        private final java.util.Map<String, Duration> rancherRemediation = new java.util.HashMap<>();

        ClusterBuilder(String name, List<ObservedPool> pools) {
            this.name = name;
            this.pools = pools;
        }

        ClusterBuilder fleetKey(String key) {
            this.fleetKey = key;
            return this;
        }

        ClusterBuilder rancherUnreachable() {
            this.rancherReachable = false;
            return this;
        }

        ClusterBuilder apiUnreachable() {
            this.apiReachable = false;
            return this;
        }

        ClusterBuilder running(DayTwoOperation operation) {
            this.operations = EnumSet.of(operation);
            return this;
        }

        ClusterBuilder paused() {
            this.paused = true;
            return this;
        }

        ClusterBuilder rancherHeals(String pool, Duration unhealthyNodeTimeout) {
            this.rancherRemediation.put(pool, unhealthyNodeTimeout);
            return this;
        }

        ObservedCluster build() {
            return new ObservedCluster(
                    name, fleetKey, rancherReachable, apiReachable, operations, paused, pools, rancherRemediation);
        }
    }
}
