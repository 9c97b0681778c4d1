package dev.kubeyard.health.check;

/**
 * The outcome of a check. {@code UNKNOWN} means the check could not run (and says why): it never counts as a pass,
 * and it neither opens nor resolves an alert.
 */
public enum CheckStatus {
    PASS("Pass", 0),
    WARN("Warn", 1),
    UNKNOWN("Unknown", 2),
    FAIL("Fail", 3);

    private final String wireName;
    private final int rank;

    CheckStatus(String wireName, int rank) {
        this.wireName = wireName;
        this.rank = rank;
    }

    public String wireName() {
        return wireName;
    }

    /** Fail, then Unknown, then Warn, then Pass: the order of the fleet view. */
    public int rank() {
        return rank;
    }

    public boolean isWorseThan(CheckStatus other) {
        return rank > other.rank;
    }

    public static CheckStatus worst(CheckStatus a, CheckStatus b) {
        return a.rank >= b.rank ? a : b;
    }

    public static CheckStatus fromWireName(String name) {
        for (CheckStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown check status '" + name + "' (Pass, Warn, Fail or Unknown)");
    }
}
