package dev.kubeyard.nodepool.healing;

import java.time.Duration;

/**
 * How healing backs off when its own replacements fail: the wait after the n-th failure in a row is
 * {@code initial * 2^(n-1)}, at most {@code max}; from {@code alertAfterFailures} failures in a row on, an alert is
 * raised at every evaluation (replacement goes on at the longest wait).
 */
public record BackoffPolicy(Duration initial, Duration max, int alertAfterFailures) {

    public BackoffPolicy {
        Policies.requirePositive(initial, "initial");
        Policies.requirePositive(max, "max");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max back-off " + max + " is shorter than the initial " + initial);
        }
        if (alertAfterFailures < 1) {
            throw new IllegalArgumentException("alertAfterFailures must be at least 1: " + alertAfterFailures);
        }
    }

    /** The wait after {@code failures} failures in a row; zero for none. */
    public Duration delayAfter(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
