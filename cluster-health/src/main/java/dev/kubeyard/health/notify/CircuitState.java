package dev.kubeyard.health.notify;

/**
 * A receiver's circuit on this replica: closed (deliveries go out), open (after repeated failures: deliveries wait
 * without being tried), half-open (the next delivery is the trial that closes or opens it again).
 */
public enum CircuitState {
    CLOSED("closed"),
    OPEN("open"),
    HALF_OPEN("half-open");

    private final String wireName;

    CircuitState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
