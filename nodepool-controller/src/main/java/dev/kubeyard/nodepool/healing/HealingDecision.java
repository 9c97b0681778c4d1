package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision record: every evaluation leaves one for the cluster, one for each pool a guard held back or that lacks
 * machines, and one for each node that is not healthy, whether it was replaced, held back or waits. The recorder
 * writes them as they are; records that repeat the previous one unchanged may be collapsed there.
 *
 * @param pool empty for the cluster's record
 * @param machine empty for a cluster's or a pool's record
 * @param rule the guard that decided
 * @param reason a word from {@link HealingReasons}
 * @param message a sentence with the numbers
 * @param inputs what the decision was made from
 * @param budget the budgets as they stood, for a node that was due and reached the node guards
 * @param evidence the node's state, for a node that was due
 */
public record HealingDecision(
        String cluster,
        Optional<String> pool,
        Optional<String> machine,
        Instant at,
        Verdict verdict,
        HealingRule rule,
        String reason,
        String message,
        Inputs inputs,
        Optional<BudgetState> budget,
        Optional<Evidence> evidence) {

    public HealingDecision {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(evidence, "evidence");
    }

    /**
     * The inputs summary.
     *
     * @param clusterUnhealthy unhealthy nodes in the cluster (0 when it could not be seen)
     * @param clusterDesired nodes the cluster's pools ask for (0 when it could not be seen)
     * @param pool the pool's counts, for a pool's or a node's record
     * @param node what the classifier made of the node, for a node's record
     */
    public record Inputs(
            int clusterUnhealthy, int clusterDesired, Optional<PoolCounts> pool, Optional<NodeHealth> node) {
        public Inputs {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(node, "node");
        }
    }
}
