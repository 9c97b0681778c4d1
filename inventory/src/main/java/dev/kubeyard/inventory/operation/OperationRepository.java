package dev.kubeyard.inventory.operation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class OperationRepository implements PanacheRepositoryBase<Operation, UUID> {

    /** The operation an actor already asked for with this Idempotency-Key, if any (unique per actor). */
    public Optional<Operation> findByIdempotencyKey(String requestedBy, String idempotencyKey) {
        return find(
                        "requestedBy = :actor and idempotencyKey = :key",
                        Map.of("actor", requestedBy, "key", idempotencyKey))
                .firstResultOptional();
    }

    /** Pending and running operations, oldest first: the work a reconciler picks up after a restart. */
    public List<Operation> listOpen() {
        return list(
                "state in :states order by createdAt",
                Map.of("states", List.of(OperationState.PENDING, OperationState.RUNNING)));
    }

    /** A cluster's operations that are not finished yet, oldest first. */
    public List<Operation> listOpen(String clusterName) {
        return list(
                "clusterName = :cluster and state in :states order by createdAt",
                Map.of("cluster", clusterName, "states", List.of(OperationState.PENDING, OperationState.RUNNING)));
    }

    /** A cluster's operations, newest first, at most {@code limit}. */
    public List<Operation> listByCluster(String clusterName, int limit) {
        return find("clusterName = :cluster order by createdAt desc", Map.of("cluster", clusterName))
                .range(0, limit - 1)
                .list();
    }
}
