package dev.kubeyard.inventory.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One thing that changed, or was asked to: a user request or a Rancher call that changes something. Append-only (no
 * {@code version}: nothing updates it). {@code reason} says why (a user request, a healing decision, an addon rollout),
 * {@code correlationId} ties a request to every call it caused.
 */
@Entity
@Immutable
@Table(name = "audit_events")
public class AuditEvent {

    @Id
    private UUID id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    @Column(nullable = false)
    private String action;

    @Column(name = "target_kind", nullable = false)
    private String targetKind;

    @Column(name = "target_name", nullable = false)
    private String targetName;

    @Column(nullable = false)
    private String reason;

    @Column(name = "correlation_id", nullable = false)
    private String correlationId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> details = new LinkedHashMap<>();

    /** How it ended: {@link #SUCCESS}, {@link #DENIED} (not allowed) or {@link #FAILED} (tried, and it did not work). */
    @Column(nullable = false)
    private String outcome = SUCCESS;

    /** Where the request came from (the client's address), when a request caused it. */
    @Column(name = "source_address")
    private String sourceAddress;

    public static final String SUCCESS = "success";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";

    protected AuditEvent() {}

    public AuditEvent(
            UUID id,
            Instant occurredAt,
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details) {
        this.id = Objects.requireNonNull(id, "id");
        this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.action = Objects.requireNonNull(action, "action");
        this.targetKind = Objects.requireNonNull(targetKind, "targetKind");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
        this.details = new LinkedHashMap<>(details);
    }

    /** An event with its outcome and the address the request came from (null when no request caused it). */
    public AuditEvent(
            UUID id,
            Instant occurredAt,
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details,
            String outcome,
            String sourceAddress) {
        this(id, occurredAt, actor, action, targetKind, targetName, reason, correlationId, details);
        if (!SUCCESS.equals(outcome) && !DENIED.equals(outcome) && !FAILED.equals(outcome)) {
            throw new IllegalArgumentException("Unknown audit outcome " + outcome);
        }
        this.outcome = outcome;
        this.sourceAddress = sourceAddress;
    }

    public UUID getId() {
        return id;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getTargetKind() {
        return targetKind;
    }

    public String getTargetName() {
        return targetName;
    }

    public String getReason() {
        return reason;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public String getOutcome() {
        return outcome;
    }

    public java.util.Optional<String> getSourceAddress() {
        return java.util.Optional.ofNullable(sourceAddress);
    }

    public Map<String, Object> getDetails() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
