package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a guard answers when it stops a replacement (or all of a cluster's or pool's): the rule, the reason word, a
 * message with the numbers, and when the answer may change.
 *
 * @param lookAgainIn when the guard may answer otherwise (a timeout or window runs out), empty when it depends on
 *     something the planner cannot foresee
 */
public record Held(HealingRule rule, String reason, String message, Optional<Duration> lookAgainIn) {

    public Held {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lookAgainIn, "lookAgainIn");
    }

    static Optional<Held> by(HealingRule rule, String reason, String message) {
        return Optional.of(new Held(rule, reason, message, Optional.empty()));
    }

    static Optional<Held> by(HealingRule rule, String reason, String message, Duration lookAgainIn) {
        return Optional.of(new Held(rule, reason, message, Optional.of(lookAgainIn)));
    }
}
