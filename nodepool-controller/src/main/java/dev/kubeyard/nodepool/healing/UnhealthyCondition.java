package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.Objects;

/**
 * A node condition that makes a node unhealthy, and how long it must hold before the node is replaced (Cluster API's
 * {@code unhealthyNodeConditions}).
 *
 * @param type the condition's type, for example {@code Ready}
 * @param status the status that is unhealthy, for example {@code False}
 * @param timeout how long the condition must hold before the node is due for replacement
 */
public record UnhealthyCondition(String type, ConditionStatus status, Duration timeout) {

    public UnhealthyCondition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Policies.requireNotNegative(timeout, "timeout");
    }

    public boolean matches(NodeCondition condition) {
        return condition.type().equals(type) && condition.status() == status;
    }

    /** {@code Ready=False}. */
    public String label() {
        return type + "=" + status.wireName();
    }
}
