package dev.kubeyard.platform.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kubeyard.inventory.cluster.ClusterCondition;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import java.time.Instant;
import java.util.List;

/** One cluster: what was asked for ({@code spec}, {@code generation}) and what was last seen ({@code status}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(
        String name, long generation, ClusterSpec spec, Status status, Instant createdAt, Instant updatedAt) {

    /**
     * @param observedGeneration the generation the reconciler last carried to Rancher
     * @param kubernetesVersion the oldest kubelet version seen on the nodes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(
            String phase,
            long observedGeneration,
            String kubernetesVersion,
            int nodesDesired,
            int nodesReady,
            List<PoolStatus> nodePools,
            List<ClusterCondition> conditions,
            String rancherClusterId,
            Instant expiresAt,
            Instant deletionRequestedAt) {}

    public record PoolStatus(String name, int quantity, int nodesTotal, int nodesReady) {}

    public static ClusterView of(ManagedCluster cluster) {
        ClusterSpec spec = SpecJson.fromMap(cluster.getSpec());
        List<PoolStatus> pools = cluster.getNodePools().stream()
                .map(p -> new PoolStatus(p.getName(), p.getQuantity(), p.getNodesTotal(), p.getNodesReady()))
                .toList();
        return new ClusterView(
                cluster.getName(),
                cluster.getGeneration(),
                spec,
                new Status(
                        cluster.getPhase().wireName(),
                        cluster.getObservedGeneration(),
                        cluster.getObservedKubernetesVersion().orElse(null),
                        cluster.getNodesDesired(),
                        cluster.getNodesReady(),
                        pools,
                        cluster.getConditions(),
                        cluster.getRancherManagementId().orElse(null),
                        cluster.getExpiresAt().orElse(null),
                        cluster.getDeletionRequestedAt().orElse(null)),
                cluster.getCreatedAt(),
                cluster.getUpdatedAt());
    }
}
