package dev.kubeyard.platform.cluster;

import dev.kubeyard.inventory.cluster.ClusterCondition;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster as the list endpoint shows it: desired essentials and observed status. */
public record ClusterSummary(
        String name,
        String team,
        String kubernetesVersion,
        Map<String, String> labels,
        Instant expiresAt,
        boolean deletionRequested,
        ClusterStatus status,
        Instant createdAt,
        Instant updatedAt) {

    public record ClusterStatus(
            String phase,
            long observedGeneration,
            String kubernetesVersion,
            int nodesDesired,
            int nodesReady,
            List<ClusterCondition> conditions) {}

    static ClusterSummary of(ManagedCluster cluster) {
        return new ClusterSummary(
                cluster.getName(),
                cluster.getTeam().getName(),
                cluster.getKubernetesVersion(),
                cluster.getLabels(),
                cluster.getExpiresAt().orElse(null),
                cluster.isDeletionRequested(),
                new ClusterStatus(
                        cluster.getPhase().wireName(),
                        cluster.getObservedGeneration(),
                        cluster.getObservedKubernetesVersion().orElse(null),
                        cluster.getNodesDesired(),
                        cluster.getNodesReady(),
                        cluster.getConditions()),
                cluster.getCreatedAt(),
                cluster.getUpdatedAt());
    }
}
