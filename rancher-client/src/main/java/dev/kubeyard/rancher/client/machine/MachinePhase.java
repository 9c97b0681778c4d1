package dev.kubeyard.rancher.client.machine;

import java.util.Locale;

/** {@code status.phase} of a Cluster API Machine; anything unknown to this client maps to UNKNOWN. */
public enum MachinePhase {
    PENDING,
    PROVISIONING,
    PROVISIONED,
    RUNNING,
    UPDATING,
    DELETING,
    DELETED,
    FAILED,
    UNKNOWN;

    public static MachinePhase parse(String phase) {
        if (phase == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(phase.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
