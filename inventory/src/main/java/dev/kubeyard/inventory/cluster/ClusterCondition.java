package dev.kubeyard.inventory.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One observed condition of a cluster, the Kubernetes way. {@code reason} is a CamelCase constant, {@code message} a
 * sentence with numbers; {@code lastTransitionTime} changes only when {@code status} flips (see {@link Conditions}).
 */
public record ClusterCondition(
        String type, ConditionStatus status, String reason, String message, Instant lastTransitionTime) {

    public ClusterCondition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
    }
}
