package dev.kubeyard.inventory.cluster;

/** The observed phase of a managed cluster, written by the reconciler only. Stored as its {@link #wireName()}. */
public enum ClusterPhase {
    PENDING("Pending"),
    PROVISIONING("Provisioning"),
    READY("Ready"),
    UPDATING("Updating"),
    DEGRADED("Degraded"),
    DELETING("Deleting"),
    FAILED("Failed");

    private final String wireName;

    ClusterPhase(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API, the database and the logs. */
    public String wireName() {
        return wireName;
    }

    public static ClusterPhase fromWireName(String wireName) {
        for (ClusterPhase phase : values()) {
            if (phase.wireName.equals(wireName)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("Unknown cluster phase: " + wireName);
    }
}
