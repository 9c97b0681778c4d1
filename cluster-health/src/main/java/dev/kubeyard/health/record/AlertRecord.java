package dev.kubeyard.health.record;

import dev.kubeyard.health.alert.AlertState;
import dev.kubeyard.health.alert.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One alert: opened by the sweep when a rule's condition has held for the rule's duration, resolved when it has
 * stopped holding for the rule's keep-firing time (or its cluster went away). At most one firing alert per
 * fingerprint (a partial unique index): a second replica that tries to open the same alert fails its insert.
 */
@Entity
@Table(name = "health_alerts")
public class AlertRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, updatable = false)
    private String fingerprint;

    @Column(nullable = false, updatable = false)
    private String rule;

    @Column(nullable = false)
    private String severity;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    private String cluster;

    @Column(updatable = false)
    private String team;

    @Column(name = "check_name", nullable = false, updatable = false)
    private String check;

    @Column(nullable = false, updatable = false)
    private String subject;

    @Column(nullable = false)
    private String state;

    @Column(nullable = false)
    private String summary;

    @Column(nullable = false)
    private String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> labels = new LinkedHashMap<>();

    /** Since when the rule's condition held (the check's status since). */
    @Column(name = "active_since", nullable = false, updatable = false)
    private Instant activeSince;

    /** When the alert opened. */
    @Column(name = "started_at", nullable = false, updatable = false)
    private Instant startedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    /** When a firing alert was last queued again for the receivers that want refreshes (Alertmanager). */
    @Column(name = "refreshed_at")
    private Instant refreshedAt;

    protected AlertRecord() {}

    public AlertRecord(
            String fingerprint,
            String rule,
            Severity severity,
            String cluster,
            String team,
            String check,
            String subject,
            String summary,
            String description,
            Map<String, String> labels,
            Instant activeSince,
            Instant now) {
        this.fingerprint = fingerprint;
        this.rule = rule;
        this.severity = severity.wireName();
        this.cluster = cluster;
        this.team = team;
        this.check = check;
        this.subject = subject == null ? "" : subject;
        this.state = AlertState.FIRING.wireName();
        this.summary = summary;
        this.description = description;
        this.labels = new LinkedHashMap<>(labels);
        this.activeSince = activeSince;
        this.startedAt = now;
        this.updatedAt = now;
        this.refreshedAt = now;
    }

    /** The condition changed its words while the alert fires (numbers moved): no new notification. */
    public boolean describe(String newSummary, String newDescription, Instant now) {
        if (summary.equals(newSummary) && description.equals(newDescription)) {
            return false;
        }
        summary = newSummary;
        description = newDescription;
        updatedAt = now;
        return true;
    }

    public void resolve(String why, Instant now) {
        state = AlertState.RESOLVED.wireName();
        resolvedAt = now;
        updatedAt = now;
        if (why != null && !why.isBlank()) {
            description = description + " Resolved: " + why;
        }
    }

    public void refreshed(Instant now) {
        refreshedAt = now;
    }

    public Long getId() {
        return id;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public String getRule() {
        return rule;
    }

    public Severity getSeverity() {
        return Severity.fromWireName(severity);
    }

    public String getCluster() {
        return cluster;
    }

    public Optional<String> getTeam() {
        return Optional.ofNullable(team);
    }

    public String getCheck() {
        return check;
    }

    public String getSubject() {
        return subject;
    }

    public AlertState getState() {
        return AlertState.fromWireName(state);
    }

    public boolean isFiring() {
        return getState() == AlertState.FIRING;
    }

    public String getSummary() {
        return summary;
    }

    public String getDescription() {
        return description;
    }

    public Map<String, String> getLabels() {
        return Map.copyOf(labels);
    }

    public Instant getActiveSince() {
        return activeSince;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Optional<Instant> getResolvedAt() {
        return Optional.ofNullable(resolvedAt);
    }

    public Optional<Instant> getRefreshedAt() {
        return Optional.ofNullable(refreshedAt);
    }
}
