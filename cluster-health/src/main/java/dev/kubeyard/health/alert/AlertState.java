package dev.kubeyard.health.alert;

/** An alert is Firing from when it opens until it resolves; a resolved alert is history. */
public enum AlertState {
    FIRING("Firing"),
    RESOLVED("Resolved");

    private final String wireName;

    AlertState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertState fromWireName(String name) {
        for (AlertState s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown alert state '" + name + "' (Firing or Resolved)");
    }
}
