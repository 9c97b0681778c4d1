package dev.kubeyard.health.notify;

/** What a delivery tells a receiver: an alert opened, resolved, or still fires (Alertmanager's refresh). */
public enum DeliveryKind {
    FIRING("Firing"),
    RESOLVED("Resolved"),
    REFRESH("Refresh");

    private final String wireName;

    DeliveryKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeliveryKind fromWireName(String name) {
        for (DeliveryKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown delivery kind " + name);
    }
}
