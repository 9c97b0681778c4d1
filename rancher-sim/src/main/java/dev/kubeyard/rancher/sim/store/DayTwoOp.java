package dev.kubeyard.rancher.sim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A generation-driven day-2 operation (etcd snapshot, restore, certificate or encryption-key rotation) as
 * reported in the RKEControlPlane status. Mutable; guarded by the {@link SimStore} lock.
 */
public final class DayTwoOp {

    /** Phases of etcd snapshot creation ({@code etcdSnapshotCreatePhase}). */
    public static final List<String> SNAPSHOT_CREATE = List.of("Started", "Finished");

    /** Phases of an etcd restore ({@code etcdSnapshotRestorePhase}). */
    public static final List<String> SNAPSHOT_RESTORE = List.of(
            "Started",
            "Shutdown",
            "Restore",
            "PostRestorePodCleanup",
            "InitialRestartCluster",
            "PostRestoreNodeCleanup",
            "RestartCluster",
            "Finished");

    /** Phases of an encryption-key rotation ({@code rotateEncryptionKeysPhase}). */
    public static final List<String> ROTATE_ENCRYPTION_KEYS = List.of(
            "Prepare",
            "PostPrepareRestart",
            "Rotate",
            "PostRotateRestart",
            "Reencrypt",
            "PostReencryptRestart",
            "Done");

    /** Certificate rotation reports only {@code certificateRotationGeneration}; its phases are internal. */
    public static final List<String> ROTATE_CERTIFICATES = List.of("Rotating", "Done");

    public final List<String> phases;
    /** The generation being, or last, acted on. */
    public long generation;
    /** The generation whose operation reached the final phase. */
    public long completedGeneration;
    /** The spec block acted on (the restore request), or null. */
    public ObjectNode request;

    public int phaseIndex = -1;
    public Instant phaseSince;

    public DayTwoOp(List<String> phases) {
        this.phases = phases;
    }

    public boolean running() {
        return phaseIndex >= 0 && phaseIndex < phases.size() - 1;
    }

    public String phase() {
        return phaseIndex < 0 ? null : phases.get(phaseIndex);
    }

    public void start(long generation, ObjectNode request, Instant now) {
        this.generation = generation;
        this.request = request;
        this.phaseIndex = 0;
        this.phaseSince = now;
    }
}
