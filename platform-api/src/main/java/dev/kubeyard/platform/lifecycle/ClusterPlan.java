package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import java.util.List;
import java.util.Map;

/**
 * What one pass does for one cluster: the actions in order, and the status to record once they are done.
 *
 * @param actions steps to carry out in order; a failed Rancher step stops the rest
 * @param status the observed status to record
 */
public record ClusterPlan(List<ClusterAction> actions, PlannedStatus status) {

    public ClusterPlan {
        actions = List.copyOf(actions);
    }

    /**
     * @param observedGeneration recorded only if every action succeeded (the spec reached Rancher)
     * @param observedKubernetesVersion the oldest kubelet among the running nodes, null when none runs
     * @param pools node counts per pool name
     */
    public record PlannedStatus(
            ClusterPhase phase,
            List<PlannedCondition> conditions,
            long observedGeneration,
            String observedKubernetesVersion,
            String managementId,
            int nodesDesired,
            int nodesReady,
            Map<String, PoolNodes> pools) {}

    public record PoolNodes(int total, int ready) {}

    public record PlannedCondition(String type, ConditionStatus status, String reason, String message) {}
}
