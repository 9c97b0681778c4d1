package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.Objects;

/**
 * What one evaluation saw of a cluster as a whole: recorded with its decisions, and handed to the next evaluation as
 * {@link HealingHistory#previous()} for the jump and reachability rules.
 *
 * @param observed whether the cluster could be seen (Rancher and its API both answered)
 * @param unhealthy nodes unhealthy at that time, whatever their timeouts (including stuck, failed and missing ones)
 * @param desired nodes the cluster's pools asked for
 * @param jumped whether this evaluation found the unhealthy share jumped (it starts a freeze)
 */
public record EvaluationSummary(Instant at, boolean observed, int unhealthy, int desired, boolean jumped) {

    public EvaluationSummary {
        Objects.requireNonNull(at, "at");
    }

    public static EvaluationSummary blind(Instant at) {
        return new EvaluationSummary(at, false, 0, 0, false);
    }

    public static EvaluationSummary seen(Instant at, int unhealthy, int desired) {
        return new EvaluationSummary(at, true, unhealthy, desired, false);
    }
}
