package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Classifies machines and their nodes, purely: the same observation, policy and time give the same answer.
 *
 * <ol>
 *   <li>being deleted (deletion timestamp or phase Deleting): {@link NodeHealth.Deleting}, in flight, never judged;
 *   <li>phase Failed: {@link NodeHealth.MachineFailed}, due at once;
 *   <li>phase Unknown: {@link NodeHealth.NotObserved};
 *   <li>not running yet, or running without a node: {@link NodeHealth.Provisioning} until the provisioning timeout
 *       (counted from the machine's creation), {@link NodeHealth.StuckProvisioning} after it;
 *   <li>running with a node that is not Ready yet and younger than the provisioning timeout: still
 *       {@link NodeHealth.Provisioning} (a joining node is not judged by its conditions);
 *   <li>running with a node: the policy's unhealthy conditions that hold, the most overdue first:
 *       {@link NodeHealth.Unhealthy} (due once past its timeout); none holding and Ready=True:
 *       {@link NodeHealth.Healthy}; no Ready condition at all: {@link NodeHealth.NotObserved}.
 * </ol>
 */
public final class NodeClassifier {

    private NodeClassifier() {}

    public static NodeHealth classify(ObservedNode node, RolePolicy policy, Instant now) {
        if (node.deleting()) {
            Duration deleting = Text.between(node.deletingSince().orElse(now), now);
            return new NodeHealth.Deleting(deleting, policy.deletionTimeout());
        }
        if (node.phase() == MachinePhase.FAILED) {
            return new NodeHealth.MachineFailed(node.machineMessage().orElse(""));
        }
        if (node.phase() == MachinePhase.UNKNOWN) {
            return new NodeHealth.NotObserved("Rancher reports no phase Kubeyard knows for machine " + node.machine());
        }
        Duration age = Text.between(node.createdAt(), now);
        Duration provisioning = policy.provisioningTimeout();
        if (node.phase().isBooting() || node.node().isEmpty()) {
            return age.compareTo(provisioning) >= 0
                    ? new NodeHealth.StuckProvisioning(age, provisioning)
                    : new NodeHealth.Provisioning(age, provisioning);
        }
        Optional<NodeCondition> ready = node.condition(NodeCondition.READY);
        boolean isReady = ready.map(c -> c.status() == ConditionStatus.TRUE).orElse(false);
        // A young node not Ready yet is still coming up (Ready=False while its network starts), unless its Ready is
        // Unknown: the node lifecycle controller says so only of a kubelet that reported and then went silent.
        boolean wentSilent =
                ready.map(c -> c.status() == ConditionStatus.UNKNOWN).orElse(false);
        if (!isReady && !wentSilent && age.compareTo(provisioning) < 0) {
            return new NodeHealth.Provisioning(age, provisioning);
        }
        Optional<NodeHealth.Unhealthy> worst = unhealthy(node, policy, now);
        if (worst.isPresent()) {
            return worst.get();
        }
        if (ready.isEmpty()) {
            return new NodeHealth.NotObserved(
                    "node " + node.node().get() + " of machine " + node.machine() + " reports no Ready condition");
        }
        if (!isReady) {
            // Ready is False or Unknown but the policy lists no timeout for it: not judged.
            return new NodeHealth.NotObserved("node " + node.node().get() + " is "
                    + ready.get().label() + ", a condition the policy does not judge");
        }
        return new NodeHealth.Healthy();
    }

    private static Optional<NodeHealth.Unhealthy> unhealthy(ObservedNode node, RolePolicy policy, Instant now) {
        List<NodeHealth.Unhealthy> holding = new ArrayList<>();
        for (UnhealthyCondition rule : policy.unhealthyConditions()) {
            for (NodeCondition condition : node.conditions()) {
                if (rule.matches(condition)) {
                    holding.add(new NodeHealth.Unhealthy(
                            condition.type(),
                            condition.status(),
                            Text.between(condition.since(), now),
                            rule.timeout()));
                }
            }
        }
        // The most overdue first; among those not yet due, the one that falls due soonest.
        return holding.stream()
                .min(Comparator.comparing((NodeHealth.Unhealthy u) -> u.overdue())
                        .reversed()
                        .thenComparing(NodeHealth.Unhealthy::remaining));
    }

    public static PoolHealth classify(ObservedPool pool, RolePolicy policy, Instant now) {
        List<ClassifiedNode> nodes = new ArrayList<>();
        int machines = 0;
        int healthy = 0;
        int unhealthy = 0;
        int failed = 0;
        int stuck = 0;
        int provisioning = 0;
        int deleting = 0;
        int notObserved = 0;
        for (ObservedNode node : pool.nodes()) {
            NodeHealth health = classify(node, policy, now);
            nodes.add(new ClassifiedNode(node, health));
            if (!(health instanceof NodeHealth.Deleting)) {
                machines++;
            }
            switch (health) {
                case NodeHealth.Healthy h -> healthy++;
                case NodeHealth.Unhealthy u -> unhealthy++;
                case NodeHealth.MachineFailed f -> failed++;
                case NodeHealth.StuckProvisioning s -> stuck++;
                case NodeHealth.Provisioning p -> provisioning++;
                case NodeHealth.Deleting d -> deleting++;
                case NodeHealth.NotObserved n -> notObserved++;
            }
        }
        int missing = Math.max(0, pool.desiredQuantity() - machines);
        return new PoolHealth(
                pool,
                policy,
                nodes,
                new PoolCounts(
                        pool.desiredQuantity(),
                        machines,
                        healthy,
                        unhealthy,
                        failed,
                        stuck,
                        provisioning,
                        deleting,
                        notObserved,
                        missing));
    }
}
