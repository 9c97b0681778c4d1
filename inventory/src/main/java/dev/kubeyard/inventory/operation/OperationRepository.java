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
}
