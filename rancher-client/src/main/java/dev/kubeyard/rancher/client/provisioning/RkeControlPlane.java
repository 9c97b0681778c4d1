package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rke.cattle.io/v1} RKEControlPlane: where Rancher reports how far a generation-counter
 * operation (snapshot, restore, certificate rotation) has got.
 */
public record RkeControlPlane(
        ObjectMeta metadata,
        Status status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String COLLECTION = "rke.cattle.io.rkecontrolplanes";

    public RkeControlPlane {
        status = status == null ? new Status(null, null, null, null, null, null, null, null, null) : status;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** The progress fields of the control plane status. */
    public record Status(
            List<Condition> conditions,
            GenerationRequest etcdSnapshotCreate,
            String etcdSnapshotCreatePhase,
            EtcdSnapshotRestore etcdSnapshotRestore,
            String etcdSnapshotRestorePhase,
            Long certificateRotationGeneration,
            String rotateEncryptionKeysPhase,
            Long observedGeneration,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        public Status {
            conditions = conditions == null ? List.of() : conditions;
            extra = extra == null ? new LinkedHashMap<>() : extra;
        }
    }

    /** Where an operation asked for with a given generation stands. */
    public enum Progress {
        PENDING,
        RUNNING,
        FINISHED,
        FAILED
    }

    public Progress etcdSnapshotCreate(long generation) {
        long seen = status.etcdSnapshotCreate() == null
                ? 0
                : status.etcdSnapshotCreate().value();
        return phaseProgress(seen, generation, status.etcdSnapshotCreatePhase());
    }

    public Progress etcdSnapshotRestore(long generation) {
        long seen = status.etcdSnapshotRestore() == null
                ? 0
                : status.etcdSnapshotRestore().value();
        return phaseProgress(seen, generation, status.etcdSnapshotRestorePhase());
    }

    public Progress certificateRotation(long generation) {
        Long seen = status.certificateRotationGeneration();
        return seen != null && seen >= generation ? Progress.FINISHED : Progress.PENDING;
    }

    private static Progress phaseProgress(long seen, long wanted, String phase) {
        if (seen < wanted) {
            return Progress.PENDING;
        }
        if (seen > wanted) {
            // A later request overtook this one; the one asked for was carried out or superseded.
            return Progress.FINISHED;
        }
        if ("Finished".equals(phase)) {
            return Progress.FINISHED;
        }
        if ("Failed".equals(phase)) {
            return Progress.FAILED;
        }
        return Progress.RUNNING;
    }
}
