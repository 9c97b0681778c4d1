package dev.kubeyard.serviceboard.board;

/** A service's status on the board; the rule is {@link ServiceRows#status} (README.md has it in words). */
public enum ServiceStatus {
    HEALTHY("Healthy"),
    DEGRADED("Degraded"),
    DOWN("Down"),
    UNKNOWN("Unknown");

    private final String wireName;

    ServiceStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ServiceStatus fromWireName(String name) {
        for (ServiceStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service status '" + name + "' (Healthy, Degraded, Down, Unknown)");
    }
}
