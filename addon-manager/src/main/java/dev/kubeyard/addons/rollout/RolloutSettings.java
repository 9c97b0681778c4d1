package dev.kubeyard.addons.rollout;

import java.time.Duration;

/**
 * How a rollout moves.
 *
 * @param canaries how many clusters go first, alone in wave 0
 * @param maxConcurrent at most this many clusters change at once (the size of every later wave)
 * @param soak how long a changed cluster must stay healthy before it counts as done
 * @param failureBudget how many clusters may fail before the rollout stops and rolls back
 * @param healthGate whether failures stop the rollout (on by default); off, it goes on regardless
 * @param progressDeadline how long a changed cluster may take to become healthy
 */
public record RolloutSettings(
        int canaries,
        int maxConcurrent,
        Duration soak,
        int failureBudget,
        boolean healthGate,
        Duration progressDeadline) {

    public RolloutSettings {
        if (canaries < 0 || maxConcurrent < 1 || failureBudget < 0) {
            throw new IllegalArgumentException("canaries >= 0, maxConcurrent >= 1, failureBudget >= 0");
        }
    }
}
