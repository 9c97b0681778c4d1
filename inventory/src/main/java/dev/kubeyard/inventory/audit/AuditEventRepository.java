package dev.kubeyard.inventory.audit;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, UUID> {

    /** Every event one request caused, in the order they happened. */
    public List<AuditEvent> listByCorrelationId(String correlationId) {
        return list("correlationId", Sort.by("occurredAt"), correlationId);
    }

    /**
     * One page of the trail, newest first, filtered by whatever the query sets. {@code before} continues a page: the
     * events strictly older than the (time, id) pair the previous page ended with.
     */
    public List<AuditEvent> search(AuditQuery query, int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.actor() != null) {
            where.add("actor = :actor");
            params.put("actor", query.actor());
        }
        if (query.action() != null) {
            where.add("action like :action");
            params.put("action", query.action().endsWith("*") ? query.action().replace("*", "%") : query.action());
        }
        if (query.targetKind() != null) {
            where.add("targetKind = :kind");
            params.put("kind", query.targetKind());
        }
        if (query.targetName() != null) {
            where.add("targetName = :name");
            params.put("name", query.targetName());
        }
        if (query.outcome() != null) {
            where.add("outcome = :outcome");
            params.put("outcome", query.outcome());
        }
        if (query.correlationId() != null) {
            where.add("correlationId = :correlation");
            params.put("correlation", query.correlationId());
        }
        if (query.since() != null) {
            where.add("occurredAt >= :since");
            params.put("since", query.since());
        }
        if (query.until() != null) {
            where.add("occurredAt < :until");
            params.put("until", query.until());
        }
        if (query.beforeTime() != null) {
            where.add("(occurredAt < :beforeTime or (occurredAt = :beforeTime and id < :beforeId))");
            params.put("beforeTime", query.beforeTime());
            params.put("beforeId", query.beforeId());
        }
        String hql = (where.isEmpty() ? "" : String.join(" and ", where)) + " order by occurredAt desc, id desc";
        return find(hql.startsWith(" order") ? hql.substring(1) : hql, params)
                .range(0, limit - 1)
                .list();
    }

    /** Filters of {@link #search}; null fields do not filter. {@code action} may end in {@code *} (a prefix). */
    public record AuditQuery(
            String actor,
            String action,
            String targetKind,
            String targetName,
            String outcome,
            String correlationId,
            Instant since,
            Instant until,
            Instant beforeTime,
            UUID beforeId) {}
}
