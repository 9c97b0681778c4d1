package dev.kubeyard.nodepool.healing;

import java.util.Optional;

/**
 * The pause switch, one per cluster and one per node pool, honoured before anything else: a person who paused healing
 * gets no replacement, and sees why in the record.
 */
public final class PauseGuard {

    private PauseGuard() {}

    public static Optional<Held> checkCluster(String cluster, boolean paused) {
        if (!paused) {
            return Optional.empty();
        }
        return Held.by(
                HealingRule.PAUSE,
                HealingReasons.CLUSTER_PAUSED,
                "Healing of cluster " + cluster + " is paused: nothing is replaced until it is resumed");
    }

    public static Optional<Held> checkPool(String pool, boolean paused) {
        if (!paused) {
            return Optional.empty();
        }
        return Held.by(
                HealingRule.PAUSE,
                HealingReasons.NODE_POOL_PAUSED,
                "Node pool " + pool + " is paused: none of its nodes is replaced until it is resumed");
    }
}
