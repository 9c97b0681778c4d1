package dev.kubeyard.rancher.sim.store;

import java.time.Instant;

/** One status condition. {@code lastTransitionTime} changes only when {@code status} flips. */
public record Cond(
        String type, String status, String reason, String message, Instant lastTransitionTime, Instant lastUpdateTime) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public boolean isTrue() {
        return TRUE.equals(status);
    }
}
