package dev.kubeyard.inventory.cluster;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import dev.kubeyard.inventory.team.Team;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A cluster Kubeyard manages: what the user asked for (spec, Kubernetes version, labels, time-to-live) and what the
 * reconciler last observed (phase, conditions, node counts, Rancher ids). Optimistic locking through {@link #version}.
 */
@Entity
@Table(name = "managed_clusters")
public class ManagedCluster extends VersionedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "team_id", nullable = false)
    private Team team;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> spec = new LinkedHashMap<>();

    /** Advanced on every change of the desired state; the reconciler reports the one it last carried out. */
    @Column(nullable = false)
    private long generation = 1;

    @Column(name = "kubernetes_version", nullable = false)
    private String kubernetesVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> labels = new LinkedHashMap<>();

    @Column(name = "time_to_live_seconds")
    private Long timeToLiveSeconds;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "rancher_name")
    private String rancherName;

    @Column(name = "rancher_management_id")
    private String rancherManagementId;

    @Column(nullable = false)
    private ClusterPhase phase = ClusterPhase.PENDING;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<ClusterCondition> conditions = new ArrayList<>();

    @Column(name = "observed_generation", nullable = false)
    private long observedGeneration;

    @Column(name = "observed_kubernetes_version")
    private String observedKubernetesVersion;

    @Column(name = "nodes_desired", nullable = false)
    private int nodesDesired;

    @Column(name = "nodes_ready", nullable = false)
    private int nodesReady;

    @Column(name = "deletion_requested_at")
    private Instant deletionRequestedAt;

    @Column(name = "correlation_id")
    private String correlationId;

    @OneToMany(mappedBy = "cluster", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("name")
    private List<NodePool> nodePools = new ArrayList<>();

    protected ManagedCluster() {}

    public ManagedCluster(String name, Team team, String kubernetesVersion) {
        this.name = Objects.requireNonNull(name, "name");
        this.team = Objects.requireNonNull(team, "team");
        this.kubernetesVersion = Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
    }

    /** A new cluster with its first desired spec: generation 1. */
    public ManagedCluster(
            String name, Team team, String kubernetesVersion, Map<String, Object> spec, Map<String, String> labels) {
        this(name, team, kubernetesVersion);
        this.spec = new LinkedHashMap<>(spec);
        this.labels = new LinkedHashMap<>(labels);
    }

    /**
     * Gives the cluster a time-to-live counted from {@code now}, or none ({@code null}): a temporary cluster is deleted
     * once {@link #isExpired(Instant)}.
     */
    public void setTimeToLive(Duration timeToLive, Instant now) {
        if (timeToLive == null) {
            this.timeToLiveSeconds = null;
            this.expiresAt = null;
            return;
        }
        if (timeToLive.isNegative() || timeToLive.isZero() || timeToLive.getNano() != 0) {
            throw new IllegalArgumentException(
                    "Time-to-live must be a positive number of whole seconds, was " + timeToLive);
        }
        this.timeToLiveSeconds = timeToLive.toSeconds();
        this.expiresAt = now.plus(timeToLive);
    }

    public Optional<Duration> getTimeToLive() {
        return Optional.ofNullable(timeToLiveSeconds).map(Duration::ofSeconds);
    }

    public Optional<Instant> getExpiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** Whether a temporary cluster's time is up at {@code now} (an expiry instant itself counts as up). */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Records that the user asked for deletion; the first request's time is kept. */
    public void requestDeletion(Instant now) {
        if (deletionRequestedAt == null) {
            deletionRequestedAt = now;
            generation++;
        }
    }

    public boolean isDeletionRequested() {
        return deletionRequestedAt != null;
    }

    /** Replaces the desired spec; the generation advances only when something changed. */
    public void applySpec(Map<String, Object> newSpec, String newKubernetesVersion, Map<String, String> newLabels) {
        boolean changed =
                !spec.equals(newSpec) || !kubernetesVersion.equals(newKubernetesVersion) || !labels.equals(newLabels);
        if (changed) {
            spec = new LinkedHashMap<>(newSpec);
            kubernetesVersion = newKubernetesVersion;
            labels = new LinkedHashMap<>(newLabels);
            generation++;
        }
    }

    /** Sets one condition (see {@link Conditions#set}); returns whether the stored conditions changed. */
    public boolean setCondition(String type, ConditionStatus status, String reason, String message, Instant now) {
        List<ClusterCondition> next = Conditions.set(conditions, type, status, reason, message, now);
        if (!Conditions.changed(conditions, next)) {
            return false;
        }
        conditions = new ArrayList<>(next);
        return true;
    }

    /** Removes the named pool; returns whether there was one. */
    public boolean removeNodePool(String poolName) {
        return nodePools.removeIf(p -> p.getName().equals(poolName));
    }

    public Optional<NodePool> nodePool(String poolName) {
        return nodePools.stream().filter(p -> p.getName().equals(poolName)).findFirst();
    }

    /** The request that last changed the desired state; the reconciler's calls carry it into the audit trail. */
    public Optional<String> getCorrelationId() {
        return Optional.ofNullable(correlationId);
    }

    public void setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
    }

    public NodePool addNodePool(String poolName, NodeRoles roles, int quantity) {
        NodePool pool = new NodePool(this, poolName, roles, quantity);
        nodePools.add(pool);
        return pool;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Team getTeam() {
        return team;
    }

    public Map<String, Object> getSpec() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    }

    public long getGeneration() {
        return generation;
    }

    public String getKubernetesVersion() {
        return kubernetesVersion;
    }

    public Map<String, String> getLabels() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public Optional<String> getRancherName() {
        return Optional.ofNullable(rancherName);
    }

    public Optional<String> getRancherManagementId() {
        return Optional.ofNullable(rancherManagementId);
    }

    public void setRancherIds(String rancherName, String rancherManagementId) {
        this.rancherName = rancherName;
        this.rancherManagementId = rancherManagementId;
    }

    public ClusterPhase getPhase() {
        return phase;
    }

    public void setPhase(ClusterPhase phase) {
        this.phase = Objects.requireNonNull(phase, "phase");
    }

    public List<ClusterCondition> getConditions() {
        return List.copyOf(conditions);
    }

    public long getObservedGeneration() {
        return observedGeneration;
    }

    /** Advanced only after a successful pass, and never backwards. */
    public void setObservedGeneration(long observedGeneration) {
        if (observedGeneration > generation) {
            throw new IllegalArgumentException(
                    "Observed generation " + observedGeneration + " is ahead of generation " + generation);
        }
        this.observedGeneration = Math.max(this.observedGeneration, observedGeneration);
    }

    public Optional<String> getObservedKubernetesVersion() {
        return Optional.ofNullable(observedKubernetesVersion);
    }

    public void setObservedKubernetesVersion(String observedKubernetesVersion) {
        this.observedKubernetesVersion = observedKubernetesVersion;
    }

    public int getNodesDesired() {
        return nodesDesired;
    }

    public int getNodesReady() {
        return nodesReady;
    }

    public void setNodeCounts(int desired, int ready) {
        if (desired < 0 || ready < 0) {
            throw new IllegalArgumentException(
                    "Node counts cannot be negative: desired " + desired + ", ready " + ready);
        }
        this.nodesDesired = desired;
        this.nodesReady = ready;
    }

    public Optional<Instant> getDeletionRequestedAt() {
        return Optional.ofNullable(deletionRequestedAt);
    }

    public List<NodePool> getNodePools() {
        return List.copyOf(nodePools);
    }
}
