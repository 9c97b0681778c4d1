package dev.kubeyard.nodepool.healing;

import java.util.Optional;
import java.util.Set;

/**
 * An upgrade, a certificate rotation or an etcd restore takes nodes down on purpose: healing holds back while one
 * runs, or it would fight the operation (and replace the very nodes being upgraded).
 */
public final class DayTwoGuard {

    private DayTwoGuard() {}

    public static Optional<Held> check(Set<DayTwoOperation> inProgress) {
        for (DayTwoOperation operation : DayTwoOperation.values()) {
            if (inProgress.contains(operation)) {
                String what = operation.description();
                return Held.by(
                        HealingRule.DAY_TWO,
                        operation.reason(),
                        Character.toUpperCase(what.charAt(0)) + what.substring(1)
                                + " of the cluster is in progress: healing holds back until it ends");
            }
        }
        return Optional.empty();
    }
}
