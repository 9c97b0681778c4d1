package dev.kubeyard.nodepool.healing;

import java.util.Optional;

/**
 * Cluster API's short-circuit: when more of a pool is unhealthy at once than its max-unhealthy share, the cause is
 * rarely the nodes (a network split, Rancher, the provider), and replacing them would make it worse. Nothing in the
 * pool is replaced and an alert is raised. Unhealthy counts nodes within their timeouts too, and stuck, failed and
 * missing ones. At least one unhealthy node is always allowed, or a pool of one or two could never heal.
 */
public final class MaxUnhealthyGuard {

    private MaxUnhealthyGuard() {}

    /** How many nodes of {@code desired} may be unhealthy at once: the share rounded down, at least one. */
    public static int allowed(int desired, int maxUnhealthyPercent) {
        return Math.max(1, desired * maxUnhealthyPercent / 100);
    }

    /**
     * @param breakdown what the unhealthy nodes are, for the message: {@code 2 Ready=False, 1 missing}
     */
    public static Optional<Held> check(
            String pool, int unhealthy, int desired, int maxUnhealthyPercent, String breakdown) {
        int allowed = allowed(desired, maxUnhealthyPercent);
        if (unhealthy <= allowed) {
            return Optional.empty();
        }
        return Held.by(
                HealingRule.MAX_UNHEALTHY,
                HealingReasons.TOO_MANY_UNHEALTHY,
                unhealthy + " of " + desired + " nodes of pool " + pool + " unhealthy ("
                        + (breakdown.isBlank() ? "" : breakdown + ", ") + Text.percent(unhealthy, desired)
                        + "%), more than maxUnhealthy " + maxUnhealthyPercent + "% (at most " + allowed + " of "
                        + desired + "): remediation held back, the cause is likely wider than the nodes");
    }
}
