package dev.kubeyard.addons.rollout;

/** Where one cluster of a rollout stands. Stored as its wire name. */
public enum TargetPhase {
    /** Not reached yet. */
    PENDING("Pending"),
    /** Moved to the new version; waiting for it to be healthy. */
    UPDATING("Updating"),
    /** Healthy at the new version; must stay so for the soak time. */
    SOAKING("Soaking"),
    SUCCEEDED("Succeeded"),
    /** Not healthy within the progress deadline, or turned unhealthy. */
    FAILED("Failed"),
    /** Left out: the cluster was unhealthy when its wave came. */
    SKIPPED("Skipped"),
    /** Being moved back to the version it had. */
    ROLLING_BACK("RollingBack"),
    ROLLED_BACK("RolledBack");

    private final String wireName;

    TargetPhase(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Changed by the rollout: what a rollback must move back. */
    public boolean changed() {
        return this == UPDATING || this == SOAKING || this == SUCCEEDED || this == FAILED;
    }

    /** Done as far as its wave is concerned. */
    public boolean settled() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }

    public static TargetPhase fromWireName(String name) {
        for (TargetPhase p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown rollout target phase " + name);
    }
}
