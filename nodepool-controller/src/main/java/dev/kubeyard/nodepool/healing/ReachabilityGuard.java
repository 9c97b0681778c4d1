package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Do not judge a cluster that cannot be seen. With Rancher unreachable nothing can be done and the machines are not
 * known: healing of the cluster is frozen. With the cluster's API unreachable the nodes' conditions are not known: the
 * cluster is skipped rather than its nodes judged by stale or missing data (Rancher's proxy carries the API, so
 * Rancher is checked first). After a blackout, healing waits a settling time before it judges again: nodes whose
 * status could not reach the API in the meantime look NotReady until they report again.
 */
public final class ReachabilityGuard {

    private ReachabilityGuard() {}

    /**
     * @param previous the previous evaluation, if any: a blind one means this is the first sight after a blackout
     * @param lastBlindAt when an evaluation last could not see the cluster
     * @param settle how long after a blind evaluation healing still waits
     */
    public static Optional<Held> check(
            boolean rancherReachable,
            boolean apiReachable,
            Optional<EvaluationSummary> previous,
            Optional<Instant> lastBlindAt,
            Duration settle,
            Instant now) {
        if (!rancherReachable) {
            return Held.by(
                    HealingRule.REACHABILITY,
                    HealingReasons.RANCHER_UNREACHABLE,
                    "Rancher cannot be reached: healing of the cluster is frozen until it answers again");
        }
        if (!apiReachable) {
            return Held.by(
                    HealingRule.REACHABILITY,
                    HealingReasons.CLUSTER_API_UNREACHABLE,
                    "The cluster's API cannot be reached: its nodes are not judged and nothing is replaced");
        }
        if (previous.isPresent() && !previous.get().observed()) {
            return Held.by(
                    HealingRule.REACHABILITY,
                    HealingReasons.REACHABILITY_SETTLING,
                    "The previous evaluation at " + Text.time(previous.get().at())
                            + " could not see the cluster: nothing is judged at the first sight after a blackout,"
                            + " healing waits " + Text.duration(settle) + " for the nodes to report again",
                    settle);
        }
        if (lastBlindAt.isPresent()) {
            Instant until = lastBlindAt.get().plus(settle);
            if (now.isBefore(until)) {
                Duration left = Text.between(now, until);
                return Held.by(
                        HealingRule.REACHABILITY,
                        HealingReasons.REACHABILITY_SETTLING,
                        "The cluster could not be seen at " + Text.time(lastBlindAt.get())
                                + ": healing waits until " + Text.time(until) + " (" + Text.duration(left)
                                + " more) for the nodes to report again",
                        left);
            }
        }
        return Optional.empty();
    }
}
