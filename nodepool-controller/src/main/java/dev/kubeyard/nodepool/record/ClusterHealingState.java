package dev.kubeyard.nodepool.record;

import java.time.Instant;
import java.util.Optional;

/**
 * What the last healing evaluation of a cluster saw and decided, as its status shows it.
 *
 * @param verdict the cluster decision's verdict (a {@code Verdict} name)
 * @param nextEvaluationAt when the plan asked to be looked at again
 */
public record ClusterHealingState(
        String cluster,
        Instant evaluatedAt,
        boolean observed,
        int unhealthy,
        int desired,
        boolean jumped,
        Optional<Instant> lastJumpAt,
        Optional<Instant> lastBlindAt,
        String verdict,
        String reason,
        String message,
        Optional<Instant> nextEvaluationAt) {}
