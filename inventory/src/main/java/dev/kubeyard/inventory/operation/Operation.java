package dev.kubeyard.inventory.operation;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A long-running request on a cluster (upgrade, certificate rotation, etcd snapshot or restore, node replacement,
 * create, delete) that the API answers with 202 and a reconciler carries out. The state only moves forward (see
 * {@link OperationState#successors()}); a move the state machine forbids throws {@link IllegalStateException}.
 */
@Entity
@Table(name = "operations")
public class Operation extends VersionedEntity {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "cluster_id")
    private ManagedCluster cluster;

    /** Kept when the cluster row is gone, so that history still names it. */
    @Column(name = "cluster_name", nullable = false, updatable = false)
    private String clusterName;

    /** The team that owned the cluster when the operation was opened: who may read it once the cluster is gone. */
    @Column(name = "team_name", updatable = false)
    private String teamName;

    @Column(nullable = false, updatable = false)
    private String kind;

    @Column(nullable = false)
    private OperationState state = OperationState.PENDING;

    @Column(nullable = false)
    private int progress;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private Map<String, Object> parameters = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> result;

    private String error;

    @Column(name = "requested_by", nullable = false, updatable = false)
    private String requestedBy;

    @Column(name = "correlation_id", nullable = false, updatable = false)
    private String correlationId;

    @Column(name = "idempotency_key", updatable = false)
    private String idempotencyKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> checkpoint = new LinkedHashMap<>();

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected Operation() {}

    public Operation(
            UUID id,
            ManagedCluster cluster,
            String kind,
            Map<String, Object> parameters,
            String requestedBy,
            String correlationId,
            String idempotencyKey) {
        this.id = Objects.requireNonNull(id, "id");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clusterName = cluster.getName();
        this.teamName = cluster.getTeam() == null ? null : cluster.getTeam().getName();
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parameters = new LinkedHashMap<>(parameters);
        this.requestedBy = Objects.requireNonNull(requestedBy, "requestedBy");
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
        this.idempotencyKey = idempotencyKey;
    }

    /** The owning team's name; empty for operations older than teams and access. */
    public Optional<String> getTeamName() {
        return Optional.ofNullable(teamName);
    }

    public void start(Instant now) {
        start(Map.of(), now);
    }

    /**
     * Moves to Running with the reconciler's checkpoint: what it commits to before calling Rancher (a generation, a
     * machine name), so that a pass after a crash resumes the step rather than repeating it.
     */
    public void start(Map<String, Object> startCheckpoint, Instant now) {
        moveTo(OperationState.RUNNING);
        checkpoint = new LinkedHashMap<>(startCheckpoint);
        startedAt = now;
    }

    public Map<String, Object> getCheckpoint() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(checkpoint));
    }

    /** Progress in percent while Running; it never goes back. */
    public void reportProgress(int percent) {
        if (state != OperationState.RUNNING) {
            throw new IllegalStateException("Operation " + id + " is " + state.wireName() + ", not Running");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("Progress is a percentage, was " + percent);
        }
        progress = Math.max(progress, percent);
    }

    public void succeed(Map<String, Object> operationResult, Instant now) {
        moveTo(OperationState.SUCCEEDED);
        result = new LinkedHashMap<>(operationResult);
        progress = 100;
        finishedAt = now;
    }

    public void fail(String message, Instant now) {
        moveTo(OperationState.FAILED);
        error = Objects.requireNonNull(message, "message");
        finishedAt = now;
    }

    public void cancel(String message, Instant now) {
        moveTo(OperationState.CANCELLED);
        error = message;
        finishedAt = now;
    }

    private void moveTo(OperationState next) {
        if (!state.successors().contains(next)) {
            throw new IllegalStateException(
                    "Operation " + id + " cannot move from " + state.wireName() + " to " + next.wireName());
        }
        state = next;
    }

    public UUID getId() {
        return id;
    }

    public Optional<ManagedCluster> getCluster() {
        return Optional.ofNullable(cluster);
    }

    public String getClusterName() {
        return clusterName;
    }

    public String getKind() {
        return kind;
    }

    public OperationState getState() {
        return state;
    }

    public int getProgress() {
        return progress;
    }

    public Map<String, Object> getParameters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public Optional<Map<String, Object>> getResult() {
        return Optional.ofNullable(result).map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r)));
    }

    public Optional<String> getError() {
        return Optional.ofNullable(error);
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public Optional<String> getIdempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    public Optional<Instant> getStartedAt() {
        return Optional.ofNullable(startedAt);
    }

    public Optional<Instant> getFinishedAt() {
        return Optional.ofNullable(finishedAt);
    }
}
