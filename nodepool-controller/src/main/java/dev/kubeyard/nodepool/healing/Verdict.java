package dev.kubeyard.nodepool.healing;

/** What an evaluation came to for a node, a pool or the cluster. */
public enum Verdict {
    /** Replaced: the actor deletes the machine. */
    REPLACE,
    /** Dry run: would have been replaced, is not. */
    WOULD_REPLACE,
    /** Due (or possibly due), but a guard held it back. */
    HOLD_BACK,
    /** Not due yet: within its timeout, provisioning, being deleted, or not observable. */
    WAIT,
    /** Nothing to decide. */
    NONE
}
