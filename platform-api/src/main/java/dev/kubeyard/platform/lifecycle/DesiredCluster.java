package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.platform.cluster.ClusterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the inventory holds for one cluster at the start of a pass: the desired spec, the last recorded status, and the
 * operations still open. A plain snapshot, so that the planner needs no database.
 *
 * @param everReady whether the cluster was Ready once (Rancher's {@code status.ready} never goes back)
 */
public record DesiredCluster(
        long id,
        String name,
        long generation,
        ClusterSpec spec,
        boolean deletionRequested,
        Instant expiresAt,
        String correlationId,
        long observedGeneration,
        Instant createdAt,
        List<OpenOperation> operations) {

    public DesiredCluster {
        operations = List.copyOf(operations);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** An operation that is Pending or Running. */
    public record OpenOperation(
            UUID id,
            OperationKind kind,
            OperationState state,
            Map<String, Object> parameters,
            Map<String, Object> checkpoint,
            int progress,
            Instant createdAt) {

        public String parameter(String key) {
            Object value = parameters.get(key);
            return value == null ? null : value.toString();
        }

        public long checkpointLong(String key) {
            Object value = checkpoint.get(key);
            return value instanceof Number n ? n.longValue() : 0L;
        }
    }
}
