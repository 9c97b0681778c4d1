package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.Objects;

/** Checks shared by the policy records: an invalid policy fails when it is built, not in the middle of a sweep. */
final class Policies {

    private Policies() {}

    static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
    }

    static void requirePositive(Duration duration, String name) {
        requireNotNegative(duration, name);
        if (duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    static void requireNotNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    static void requirePercent(int value, String name) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be between 0 and 100: " + value);
        }
    }
}
