package dev.kubeyard.nodepool.healing;

/** A Kubernetes condition's status. */
public enum ConditionStatus {
    TRUE,
    FALSE,
    UNKNOWN;

    /** The way Kubernetes writes it: {@code True}, {@code False}, {@code Unknown}. */
    public String wireName() {
        return switch (this) {
            case TRUE -> "True";
            case FALSE -> "False";
            case UNKNOWN -> "Unknown";
        };
    }
}
