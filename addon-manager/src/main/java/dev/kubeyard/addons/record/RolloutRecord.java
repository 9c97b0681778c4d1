package dev.kubeyard.addons.record;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A rollout as stored: written by its runner (each step) and by pause, resume and abort (optimistic lock). */
@Entity
@Table(name = "addon_rollouts")
public class RolloutRecord {

    @Id
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String addon;

    @Column(name = "target_version", nullable = false, updatable = false)
    private String targetVersion;

    @Column(nullable = false)
    private String phase;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private Map<String, Object> settings;

    @Column(nullable = false)
    private String message = "";

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    @OneToMany(mappedBy = "rollout", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.LAZY)
    @OrderBy("position")
    private List<RolloutTargetRecord> targets = new ArrayList<>();

    protected RolloutRecord() {}

    public RolloutRecord(
            UUID id,
            String addon,
            String targetVersion,
            String phase,
            Map<String, Object> settings,
            String createdBy,
            Instant now) {
        this.id = id;
        this.addon = addon;
        this.targetVersion = targetVersion;
        this.phase = phase;
        this.settings = settings;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public void update(String phase, String message, Instant now, boolean finished) {
        this.phase = phase;
        this.message = message == null ? "" : message;
        this.updatedAt = now;
        if (finished && finishedAt == null) {
            finishedAt = now;
        }
    }

    public UUID getId() {
        return id;
    }

    public String getAddon() {
        return addon;
    }

    public String getTargetVersion() {
        return targetVersion;
    }

    public String getPhase() {
        return phase;
    }

    public Map<String, Object> getSettings() {
        return settings;
    }

    public String getMessage() {
        return message;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public List<RolloutTargetRecord> getTargets() {
        return targets;
    }
}
