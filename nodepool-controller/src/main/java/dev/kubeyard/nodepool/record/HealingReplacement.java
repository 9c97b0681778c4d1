package dev.kubeyard.nodepool.record;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A replacement Kubeyard asked for (the machine deleted so that its pool makes a new one), and how it ended. */
@Entity
@Table(name = "healing_replacements")
public class HealingReplacement extends VersionedEntity {

    public static final String IN_PROGRESS = "InProgress";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    @Id
    private UUID id;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    private String cluster;

    @Column(nullable = false, updatable = false)
    private String pool;

    @Column(nullable = false, updatable = false)
    private String machine;

    @Column(name = "fleet_key", nullable = false, updatable = false)
    private String fleetKey;

    @Column(name = "requested_at", nullable = false, updatable = false)
    private Instant requestedAt;

    @Column(nullable = false)
    private String outcome = IN_PROGRESS;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column
    private String failure;

    protected HealingReplacement() {}

    public UUID getId() {
        return id;
    }

    public String getCluster() {
        return cluster;
    }

    public String getPool() {
        return pool;
    }

    public String getMachine() {
        return machine;
    }

    public String getFleetKey() {
        return fleetKey;
    }

    public Instant getRequestedAt() {
        return requestedAt;
    }

    public String getOutcome() {
        return outcome;
    }

    public Optional<Instant> getFinishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    /** Settles an open replacement; a settled one keeps its first outcome. */
    public boolean settle(boolean succeeded, Instant at, String failure) {
        if (!IN_PROGRESS.equals(outcome)) {
            return false;
        }
        outcome = succeeded ? SUCCEEDED : FAILED;
        finishedAt = at;
        this.failure = failure;
        return true;
    }

    /** Why it failed, for a failed one. */
    public Optional<String> getFailure() {
        return Optional.ofNullable(failure);
    }
}
