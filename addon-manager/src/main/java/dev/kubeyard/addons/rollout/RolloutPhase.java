package dev.kubeyard.addons.rollout;

/** Where a rollout stands. Stored as its wire name. */
public enum RolloutPhase {
    RUNNING("Running"),
    PAUSED("Paused"),
    ROLLING_BACK("RollingBack"),
    SUCCEEDED("Succeeded"),
    ROLLED_BACK("RolledBack");

    private final String wireName;

    RolloutPhase(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean active() {
        return this == RUNNING || this == PAUSED || this == ROLLING_BACK;
    }

    public static RolloutPhase fromWireName(String name) {
        for (RolloutPhase p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown rollout phase " + name);
    }
}
