package dev.kubeyard.nodepool.healing;

/**
 * A machine's {@code status.phase} as Rancher (Cluster API) reports it. The planner keeps its own copy so that it
 * depends on no client; the observer maps Rancher's value onto it, anything unknown to {@link #UNKNOWN}.
 */
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

    /** Whether the machine is still coming up: no node has joined from it yet. */
    public boolean isBooting() {
        return this == PENDING || this == PROVISIONING || this == PROVISIONED;
    }

    /** Whether the machine runs, so that its node's conditions tell its health. */
    public boolean isRunning() {
        return this == RUNNING || this == UPDATING;
    }
}
