package dev.kubeyard.nodepool.healing;

import java.util.Optional;

/**
 * Healing budgets, so that no failure, however wide, turns into mass deletion: replacements in flight at once per
 * pool, replacements per hour per pool and per cluster, and per hour across the whole fleet per infrastructure
 * provider and region. Checked last, so that only replacements that go ahead spend budget.
 */
public final class BudgetGuard {

    private BudgetGuard() {}

    public static Optional<Held> check(BudgetState budget) {
        if (budget.poolInFlight() >= budget.poolMaxConcurrent()) {
            return Held.by(
                    HealingRule.BUDGET,
                    HealingReasons.POOL_CONCURRENCY_LIMIT,
                    Text.count(budget.poolInFlight(), "replacement", "replacements") + " in flight in pool "
                            + budget.pool() + ", its limit of " + budget.poolMaxConcurrent()
                            + " at once: the next waits until one is done");
        }
        if (budget.poolLastHour() >= budget.poolMaxPerHour()) {
            return Held.by(
                    HealingRule.BUDGET,
                    HealingReasons.POOL_HOURLY_BUDGET_EXHAUSTED,
                    Text.count(budget.poolLastHour(), "replacement", "replacements") + " requested in pool "
                            + budget.pool() + " in the last hour, its limit of " + budget.poolMaxPerHour()
                            + " per hour");
        }
        if (budget.clusterLastHour() >= budget.clusterMaxPerHour()) {
            return Held.by(
                    HealingRule.BUDGET,
                    HealingReasons.CLUSTER_HOURLY_BUDGET_EXHAUSTED,
                    Text.count(budget.clusterLastHour(), "replacement", "replacements")
                            + " requested in the cluster in the last hour, its limit of "
                            + budget.clusterMaxPerHour() + " per hour");
        }
        if (budget.fleetLastHour() >= budget.fleetMaxPerHour()) {
            return Held.by(
                    HealingRule.BUDGET,
                    HealingReasons.FLEET_BUDGET_EXHAUSTED,
                    Text.count(budget.fleetLastHour(), "replacement", "replacements")
                            + " requested across the clusters of " + budget.fleetKey()
                            + " in the last hour, the fleet limit of " + budget.fleetMaxPerHour()
                            + " per hour: many clusters of one provider failing together is the provider's problem,"
                            + " not one to heal by deleting machines");
        }
        return Optional.empty();
    }
}
