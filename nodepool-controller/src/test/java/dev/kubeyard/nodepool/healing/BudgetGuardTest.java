package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No failure, however wide, spends more than the pool's, the cluster's and the fleet's budgets. */
class BudgetGuardTest {

    static BudgetState budget(int inFlight, int poolHour, int clusterHour, int fleetHour) {
        return new BudgetState("workers", inFlight, 2, poolHour, 5, clusterHour, 6, "openstack/eu", fleetHour, 20);
    }

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.argumentSet("replacesWithinEveryBudget", budget(1, 4, 5, 19), null),
                Arguments.argumentSet(
                        "neverExceedsThePoolsReplacementsAtOnce",
                        budget(2, 0, 0, 0),
                        HealingReasons.POOL_CONCURRENCY_LIMIT),
                Arguments.argumentSet(
                        "neverExceedsThePoolsReplacementsPerHour",
                        budget(0, 5, 5, 5),
                        HealingReasons.POOL_HOURLY_BUDGET_EXHAUSTED),
                Arguments.argumentSet(
                        "neverExceedsTheClustersReplacementsPerHour",
                        budget(0, 0, 6, 6),
                        HealingReasons.CLUSTER_HOURLY_BUDGET_EXHAUSTED),
                Arguments.argumentSet(
                        "neverExceedsTheFleetsReplacementsPerHourForAProvider",
                        budget(0, 0, 0, 20),
                        HealingReasons.FLEET_BUDGET_EXHAUSTED),
                Arguments.argumentSet(
                        "namesTheNarrowestBudgetWhenAllAreSpent",
                        budget(2, 5, 6, 20),
                        HealingReasons.POOL_CONCURRENCY_LIMIT),
                Arguments.argumentSet(
                        "aPoolAllowedNoReplacementAtOnceNeverReplaces",
                        new BudgetState("workers", 0, 0, 0, 5, 0, 6, "openstack/eu", 0, 20),
                        HealingReasons.POOL_CONCURRENCY_LIMIT));
    }

    @ParameterizedTest
    @MethodSource("budgets")
    void neverSpendsMoreThanABudget(BudgetState budget, String reason) {
        Optional<Held> held = BudgetGuard.check(budget);

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
    }

    @Test
    void recordsTheBudgetsWithTheirNumbers() {
        assertThat(budget(1, 3, 3, 14).describe())
                .isEqualTo("pool workers 1 of 2 in flight, 3 of 5 this hour; cluster 3 of 6 this hour;"
                        + " fleet openstack/eu 14 of 20 this hour");
    }
}
