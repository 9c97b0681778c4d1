package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Freeze all healing of a cluster when its unhealthy share jumps between two evaluations: many nodes going bad at
 * once points at the network, Rancher or the provider, and replacing them makes it worse. The freeze lasts
 * {@link UnhealthyJumpPolicy#freeze()} from the jump; a slow rise is the max-unhealthy guard's business.
 */
public final class UnhealthyJumpGuard {

    private UnhealthyJumpGuard() {}

    /**
     * Whether the cluster's unhealthy nodes rose by at least {@code minNodes} and its unhealthy share by at least
     * {@code minPercentPoints} since the previous evaluation (which must have seen the cluster).
     */
    public static boolean jumped(
            int unhealthy, int desired, Optional<EvaluationSummary> previous, UnhealthyJumpPolicy policy) {
        if (previous.isEmpty() || !previous.get().observed() || desired <= 0) {
            return false;
        }
        EvaluationSummary before = previous.get();
        if (unhealthy - before.unhealthy() < policy.minNodes()) {
            return false;
        }
        if (before.desired() <= 0) {
            return 100L * unhealthy >= (long) policy.minPercentPoints() * desired;
        }
        // unhealthy/desired - before.unhealthy/before.desired >= points/100, in whole numbers
        long rise = 100L * ((long) unhealthy * before.desired() - (long) before.unhealthy() * desired);
        return rise >= (long) policy.minPercentPoints() * desired * before.desired();
    }

    public static Optional<Held> check(
            int unhealthy,
            int desired,
            Optional<EvaluationSummary> previous,
            Optional<Instant> lastJumpAt,
            UnhealthyJumpPolicy policy,
            Instant now) {
        if (jumped(unhealthy, desired, previous, policy)) {
            EvaluationSummary before = previous.orElseThrow();
            return Held.by(
                    HealingRule.UNHEALTHY_JUMP,
                    HealingReasons.UNHEALTHY_SHARE_JUMPED,
                    "Unhealthy nodes rose from " + before.unhealthy() + " of " + before.desired() + " ("
                            + Text.percent(before.unhealthy(), before.desired()) + "%) to " + unhealthy + " of "
                            + desired + " (" + Text.percent(unhealthy, desired) + "%) since the evaluation at "
                            + Text.time(before.at()) + ", a jump of at least " + Text.nodes(policy.minNodes())
                            + " and " + policy.minPercentPoints() + " points: healing of the cluster frozen for "
                            + Text.duration(policy.freeze()),
                    policy.freeze());
        }
        if (lastJumpAt.isPresent()) {
            Instant until = lastJumpAt.get().plus(policy.freeze());
            if (now.isBefore(until)) {
                Duration left = Text.between(now, until);
                return Held.by(
                        HealingRule.UNHEALTHY_JUMP,
                        HealingReasons.UNHEALTHY_SHARE_JUMPED,
                        "The unhealthy share jumped at " + Text.time(lastJumpAt.get())
                                + ": healing of the cluster frozen until " + Text.time(until) + " ("
                                + Text.duration(left) + " more); " + unhealthy + " of " + desired
                                + " nodes unhealthy now",
                        left);
            }
        }
        return Optional.empty();
    }
}
