package dev.kubeyard.nodepool.healing;

import java.time.Duration;

/**
 * When a rise of the cluster's unhealthy share since the previous evaluation counts as a jump, and how long a jump
 * freezes healing.
 *
 * @param minNodes the rise in unhealthy nodes that a jump needs at least
 * @param minPercentPoints the rise in the unhealthy share, in percentage points, that a jump needs at least
 * @param freeze how long healing of the cluster stays frozen after a jump
 */
public record UnhealthyJumpPolicy(int minNodes, int minPercentPoints, Duration freeze) {

    public UnhealthyJumpPolicy {
        if (minNodes < 1) {
            throw new IllegalArgumentException("minNodes must be at least 1: " + minNodes);
        }
        Policies.requirePercent(minPercentPoints, "minPercentPoints");
        Policies.requireNotNegative(freeze, "freeze");
    }
}
