package dev.kubeyard.addons.record;

import dev.kubeyard.addons.plan.InstallationStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One addon in one cluster: the desired side (version, namespace, values; the generation advances on each change)
 * written by requests, default sets and rollouts, and the reported status, written only by the cluster's controller
 * through {@link AddonStore#writeStatus} (never through this entity: dynamic updates and a read-only status column
 * keep a request from writing back a stale status).
 */
@Entity
@DynamicUpdate
@Table(name = "addon_installations")
public class InstallationRecord {

    @Id
    private UUID id;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    private String cluster;

    @Column(nullable = false, updatable = false)
    private String addon;

    @Column(nullable = false)
    private String version;

    @Column(nullable = false)
    private String namespace;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "values", nullable = false)
    private Map<String, Object> values = new LinkedHashMap<>();

    @Column(nullable = false)
    private long generation = 1;

    /** Who wants it: {@code user}, {@code default-set:<name>}, {@code rollout:<id>}. */
    @Column(nullable = false)
    private String source;

    @Column(name = "declared_in_spec", nullable = false)
    private boolean declaredInSpec;

    @Column(name = "requested_by", nullable = false)
    private String requestedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "removal_requested_at")
    private Instant removalRequestedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, insertable = false, updatable = false)
    private InstallationStatus status;

    @Column(name = "status_updated_at", insertable = false, updatable = false)
    private Instant statusUpdatedAt;

    protected InstallationRecord() {}

    public InstallationRecord(
            String cluster,
            String addon,
            String version,
            String namespace,
            Map<String, Object> values,
            String source,
            String requestedBy,
            Instant now) {
        this.id = UUID.randomUUID();
        this.cluster = cluster;
        this.addon = addon;
        this.version = version;
        this.namespace = namespace;
        this.values = new LinkedHashMap<>(values);
        this.source = source;
        this.requestedBy = requestedBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Changes what is desired; true (and a new generation) when something changed. */
    public boolean change(
            String version, String namespace, Map<String, Object> values, String source, String by, Instant now) {
        boolean changed = !this.version.equals(version)
                || !this.namespace.equals(namespace)
                || !this.values.equals(values)
                || removalRequestedAt != null;
        if (!changed) {
            return false;
        }
        this.version = version;
        this.namespace = namespace;
        this.values = new LinkedHashMap<>(values);
        this.source = source;
        this.requestedBy = by;
        this.removalRequestedAt = null;
        this.updatedAt = now;
        this.generation++;
        return true;
    }

    public void requestRemoval(String by, Instant now) {
        if (removalRequestedAt == null) {
            removalRequestedAt = now;
            requestedBy = by;
            updatedAt = now;
            generation++;
        }
    }

    /** Named in the cluster's spec (removed when a later spec no longer names it). */
    public boolean isDeclaredInSpec() {
        return declaredInSpec;
    }

    public void setDeclaredInSpec(boolean declared) {
        this.declaredInSpec = declared;
    }

    public UUID getId() {
        return id;
    }

    public String getCluster() {
        return cluster;
    }

    public String getAddon() {
        return addon;
    }

    public String getVersion() {
        return version;
    }

    public String getNamespace() {
        return namespace;
    }

    public Map<String, Object> getValues() {
        return values;
    }

    public long getGeneration() {
        return generation;
    }

    public String getSource() {
        return source;
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Optional<Instant> getRemovalRequestedAt() {
        return Optional.ofNullable(removalRequestedAt);
    }

    public InstallationStatus getStatus() {
        return status == null || status.conditions() == null ? InstallationStatus.NEW : status;
    }

    public Optional<Instant> getStatusUpdatedAt() {
        return Optional.ofNullable(statusUpdatedAt);
    }
}
