package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.DEFAULTS;
import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.PLANNER;
import static dev.kubeyard.nodepool.healing.Fixtures.cluster;
import static dev.kubeyard.nodepool.healing.Fixtures.etcd;
import static dev.kubeyard.nodepool.healing.Fixtures.healthy;
import static dev.kubeyard.nodepool.healing.Fixtures.machine;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static dev.kubeyard.nodepool.healing.Fixtures.with;
import static dev.kubeyard.nodepool.healing.Fixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A pool Rancher heals by itself is left to Rancher, visibly; the cluster's other pools are healed as usual. */
class RancherRemediationGuardTest {

    @Test
    void aPoolWithRanchersHealthCheckOnIsLeftToRancherWithAnAlert() {
        var observed = cluster(
                        "c",
                        workers(
                                3,
                                with(
                                        healthy("w", 2),
                                        machine("w-bad").failed("server gone").build())),
                        etcd(
                                3,
                                with(
                                        healthy("e", 2),
                                        machine("e-bad").failed("disk").build())))
                .rancherHeals("workers", min(5))
                .build();

        HealingPlan plan = PLANNER.plan(observed, DEFAULTS, HealingHistory.empty(), FleetBudget.of(20), NOW);

        assertThat(plan.replacements()).extracting(r -> r.machine()).containsExactly("e-bad");
        assertThat(plan.decisionFor("w-bad").orElseThrow().reason()).isEqualTo(HealingReasons.RANCHER_REMEDIATION_ON);
        assertThat(plan.alerts()).singleElement().satisfies(a -> {
            assertThat(a.reason()).isEqualTo(HealingReasons.RANCHER_REMEDIATION_ON);
            assertThat(a.message()).contains("unhealthyNodeTimeout 5 min").contains("workers");
        });
    }

    @Test
    void withoutRanchersHealthCheckThePoolIsHealed() {
        var observed = cluster(
                        "c",
                        workers(
                                3,
                                with(
                                        healthy("w", 2),
                                        machine("w-bad").failed("gone").build())))
                .build();

        HealingPlan plan = PLANNER.plan(observed, DEFAULTS, HealingHistory.empty(), FleetBudget.of(20), NOW);

        assertThat(plan.replacements()).extracting(r -> r.machine()).containsExactly("w-bad");
    }
}
