package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.Objects;

/**
 * One condition of a node as its cluster's API reports it.
 *
 * @param type for example {@code Ready}, {@code MemoryPressure}, {@code DiskPressure}
 * @param since the condition's {@code lastTransitionTime}: how long it has held this status
 * @param reason the condition's reason, empty when the node gives none
 * @param message the condition's message, empty when the node gives none
 */
public record NodeCondition(String type, ConditionStatus status, Instant since, String reason, String message) {

    public static final String READY = "Ready";

    public NodeCondition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }

    public static NodeCondition of(String type, ConditionStatus status, Instant since) {
        return new NodeCondition(type, status, since, "", "");
    }

    /** {@code Ready=False}, the way the messages name a condition. */
    public String label() {
        return type + "=" + status.wireName();
    }
}
