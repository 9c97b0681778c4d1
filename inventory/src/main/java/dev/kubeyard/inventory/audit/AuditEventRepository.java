package dev.kubeyard.inventory.audit;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, UUID> {

    /** Every event one request caused, in the order they happened. */
    public List<AuditEvent> listByCorrelationId(String correlationId) {
        return list("correlationId", Sort.by("occurredAt"), correlationId);
    }
}
