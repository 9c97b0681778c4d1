package dev.kubeyard.addons.record;

import dev.kubeyard.addons.rollout.RolloutTarget;
import dev.kubeyard.addons.rollout.TargetPhase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One cluster of a rollout as stored. */
@Entity
@IdClass(RolloutTargetRecord.Key.class)
@Table(name = "addon_rollout_targets")
public class RolloutTargetRecord {

    /** The composite key: rollout and cluster. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        UUID rollout;
        String cluster;

        public Key() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(rollout, k.rollout) && Objects.equals(cluster, k.cluster);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rollout, cluster);
        }
    }

    @Id
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "rollout_id", nullable = false)
    private RolloutRecord rollout;

    @Id
    @Column(name = "cluster_name", nullable = false)
    private String cluster;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private int wave;

    @Column(nullable = false)
    private String phase;

    @Column(name = "previous_version")
    private String previousVersion;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "healthy_at")
    private Instant healthyAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(nullable = false)
    private String message = "";

    protected RolloutTargetRecord() {}

    RolloutTargetRecord(RolloutRecord rollout, RolloutTarget target) {
        this.rollout = rollout;
        this.cluster = target.cluster();
        this.position = target.position();
        this.wave = target.wave();
        set(target);
    }

    void set(RolloutTarget target) {
        this.phase = target.phase().wireName();
        this.previousVersion = target.previousVersion();
        this.startedAt = target.startedAt();
        this.healthyAt = target.healthyAt();
        this.finishedAt = target.finishedAt();
        this.message = target.message() == null ? "" : target.message();
    }

    public RolloutTarget toTarget() {
        return new RolloutTarget(
                cluster,
                position,
                wave,
                TargetPhase.fromWireName(phase),
                previousVersion,
                startedAt,
                healthyAt,
                finishedAt,
                message);
    }

    public String getCluster() {
        return cluster;
    }
}
