package dev.kubeyard.nodepool.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One healing decision as recorded: carried out or held back, with its rule, reason, message and details. */
@Entity
@Immutable
@Table(name = "healing_decisions")
public class HealingDecisionRecord {

    @Id
    private UUID id;

    @Column(name = "cluster_name", nullable = false)
    private String cluster;

    private String pool;

    private String machine;

    @Column(name = "decided_at", nullable = false)
    private Instant decidedAt;

    @Column(nullable = false)
    private String verdict;

    @Column(nullable = false)
    private String rule;

    @Column(nullable = false)
    private String reason;

    @Column(nullable = false)
    private String message;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> details = new LinkedHashMap<>();

    protected HealingDecisionRecord() {}

    HealingDecisionRecord(
            UUID id,
            String cluster,
            String pool,
            String machine,
            Instant decidedAt,
            String verdict,
            String rule,
            String reason,
            String message,
            Map<String, Object> details) {
        this.id = id;
        this.cluster = cluster;
        this.pool = pool;
        this.machine = machine;
        this.decidedAt = decidedAt;
        this.verdict = verdict;
        this.rule = rule;
        this.reason = reason;
        this.message = message;
        this.details = new LinkedHashMap<>(details);
    }

    public UUID getId() {
        return id;
    }

    public String getCluster() {
        return cluster;
    }

    public Optional<String> getPool() {
        return Optional.ofNullable(pool);
    }

    public Optional<String> getMachine() {
        return Optional.ofNullable(machine);
    }

    public Instant getDecidedAt() {
        return decidedAt;
    }

    public String getVerdict() {
        return verdict;
    }

    public String getRule() {
        return rule;
    }

    public String getReason() {
        return reason;
    }

    public String getMessage() {
        return message;
    }

    public Map<String, Object> getDetails() {
        return Collections.unmodifiableMap(details);
    }
}
