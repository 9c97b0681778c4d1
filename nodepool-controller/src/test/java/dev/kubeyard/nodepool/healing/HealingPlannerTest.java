package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.DEFAULTS;
import static dev.kubeyard.nodepool.healing.Fixtures.FLEET;
import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.PLANNER;
import static dev.kubeyard.nodepool.healing.Fixtures.cluster;
import static dev.kubeyard.nodepool.healing.Fixtures.etcd;
import static dev.kubeyard.nodepool.healing.Fixtures.healthy;
import static dev.kubeyard.nodepool.healing.Fixtures.machine;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static dev.kubeyard.nodepool.healing.Fixtures.notReadyFor;
import static dev.kubeyard.nodepool.healing.Fixtures.with;
import static dev.kubeyard.nodepool.healing.Fixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.nodepool.healing.HealingAction.HoldBack;
import dev.kubeyard.nodepool.healing.HealingAction.Noop;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingAction.WouldReplaceNode;
import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlanner.ClusterInput;
import dev.kubeyard.nodepool.healing.HealingPlanner.SweepPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scenarios at the pure level: observations, policy, history and time in; a plan out. */
class HealingPlannerTest {

    static final FleetBudget FLEET_BUDGET = FleetBudget.of(20);

    static HealingPlan plan(ObservedCluster cluster) {
        return PLANNER.plan(cluster, DEFAULTS, HealingHistory.empty(), FLEET_BUDGET, NOW);
    }

    static HealingPlan plan(ObservedCluster cluster, HealingHistory history, Instant now) {
        return PLANNER.plan(cluster, DEFAULTS, history, FLEET_BUDGET, now);
    }

    /** Five workers, one of them ({@code w-2}) NotReady for 12 minutes. */
    static ObservedPool fiveWorkersOneDown() {
        return workers(
                5,
                List.of(healthy("w-0"), healthy("w-1"), notReadyFor("w-2", min(12)), healthy("w-3"), healthy("w-4")));
    }

    static List<String> replaced(HealingPlan plan) {
        return plan.replacements().stream().map(ReplaceNode::machine).toList();
    }

    // ---- nothing to do

    @Test
    void doesNothingWhenEveryNodeIsHealthy() {
        HealingPlan plan =
                plan(cluster("alpha", etcd(3, Fixtures.healthy("cp", 3)), workers(3, Fixtures.healthy("w", 3)))
                        .build());

        assertThat(plan.actions())
                .singleElement()
                .isEqualTo(new Noop("alpha", HealingReasons.ALL_NODES_HEALTHY, "All 6 nodes of cluster alpha healthy"));
        assertThat(plan.decisions()).singleElement().satisfies(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.NONE);
            assertThat(d.reason()).isEqualTo(HealingReasons.ALL_NODES_HEALTHY);
        });
        assertThat(plan.nextLookIn()).isEqualTo(DEFAULTS.idleLookIn());
        assertThat(plan.evaluation()).isEqualTo(new EvaluationSummary(NOW, true, 0, 6, false));
    }

    @Test
    void waitsForANodeWithinItsTimeoutAndSaysWhenToLookAgain() {
        HealingPlan plan = plan(cluster("alpha", workers(3, with(Fixtures.healthy("w", 2), notReadyFor("w-9", min(2)))))
                .build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Noop.class, n -> assertThat(n.reason())
                .isEqualTo(HealingReasons.NOTHING_DUE));
        assertThat(plan.decisionFor("w-9")).hasValueSatisfying(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.WAIT);
            assertThat(d.rule()).isEqualTo(HealingRule.TIMEOUT);
            assertThat(d.message())
                    .isEqualTo("Machine w-9 of pool workers (Ready=False for 2 min, timeout 5 min): Ready=False for"
                            + " 2 min, within its timeout of 5 min: replaced in 3 min if it does not recover");
        });
        assertThat(plan.nextLookIn()).isEqualTo(min(3));
    }

    // ---- replacing

    @Test
    void replacesAWorkerNotReadyPastItsTimeoutWithItsEvidence() {
        ObservedNode sick = machine("w-2")
                .notReadyFor(min(12))
                .event(NOW.minus(min(13)), "NodeNotReady", "Node w-2 status is now: NodeNotReady")
                .event(NOW.minus(min(12)), "KubeletDown", "kubelet stopped posting node status")
                .build();
        ObservedPool pool = workers(3, List.of(healthy("w-0"), healthy("w-1"), sick));

        HealingPlan plan = plan(cluster("alpha", pool).build());

        assertThat(plan.replacements()).singleElement().satisfies(r -> {
            assertThat(r.machine()).isEqualTo("w-2");
            assertThat(r.reason()).isEqualTo(HealingReasons.NODE_UNHEALTHY);
            assertThat(r.message())
                    .isEqualTo("Replacing machine w-2 of pool workers: Ready=False for 12 min, more than its timeout"
                            + " of 5 min; budgets before: pool workers 0 of 2 in flight, 0 of 5 this hour; cluster 0"
                            + " of 6 this hour; fleet openstack/eu-west-1 0 of 20 this hour");
            assertThat(r.evidence().conditions())
                    .extracting(NodeCondition::label)
                    .containsExactly("Ready=False");
            assertThat(r.evidence().recentEvents())
                    .extracting(NodeEvent::reason)
                    .containsExactly("KubeletDown", "NodeNotReady");
            assertThat(r.acts()).isTrue();
        });
        assertThat(plan.decisionFor("w-2")).hasValueSatisfying(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.REPLACE);
            assertThat(d.budget())
                    .hasValueSatisfying(b -> assertThat(b.poolInFlight()).isZero());
            assertThat(d.evidence()).contains(plan.replacements().getFirst().evidence());
            assertThat(d.inputs().pool())
                    .hasValueSatisfying(c -> assertThat(c.unhealthy()).isEqualTo(1));
        });
        assertThat(plan.clusterDecision().verdict()).isEqualTo(Verdict.REPLACE);
        assertThat(plan.fleetSpend()).isEqualTo(1);
        assertThat(plan.nextLookIn()).isEqualTo(DEFAULTS.inFlightLookIn());
    }

    @Test
    void replacesAFailedWorkerExactlyOnce() {
        ObservedCluster failed = cluster("alpha", fiveWorkersOneDown()).build();
        HealingPlan first = plan(failed);
        assertThat(replaced(first)).containsExactly("w-2");
        HealingHistory history = HealingHistory.empty().after(first);

        // Rancher deletes w-2 and creates its successor: both in flight, nothing replaced again.
        Instant t1 = NOW.plusSeconds(30);
        ObservedNode going = machine("w-2")
                .notReadyFor(min(12))
                .deletingSince(NOW.plusSeconds(5))
                .build();
        ObservedNode successor =
                machine("w-5").provisioningSince(NOW.plusSeconds(10)).build();
        HealingPlan second = plan(
                cluster(
                                "alpha",
                                workers(
                                        5,
                                        with(
                                                Fixtures.healthy("w", 2),
                                                going,
                                                healthy("w-3"),
                                                healthy("w-4"),
                                                successor)))
                        .build(),
                history,
                t1);
        assertThat(second.replacements()).isEmpty();
        assertThat(second.decisionFor("w-2").map(HealingDecision::reason)).contains(HealingReasons.NODE_BEING_DELETED);
        assertThat(second.decisionFor("w-5").map(HealingDecision::reason)).contains(HealingReasons.STILL_PROVISIONING);
        assertThat(second.nextLookIn()).isEqualTo(DEFAULTS.inFlightLookIn());
        history = history.after(second);

        // w-2 is gone; its successor joined but is not Ready yet, past the 5 min of Ready=False: a node still
        // joining is not judged by its conditions.
        Instant t2 = NOW.plus(min(7));
        ObservedNode joining = machine("w-5").joiningSince(NOW.plusSeconds(10)).build();
        HealingPlan third = plan(
                cluster("alpha", workers(5, with(Fixtures.healthy("w", 2), healthy("w-3"), healthy("w-4"), joining)))
                        .build(),
                history,
                t2);
        assertThat(third.replacements()).isEmpty();
        history = history.after(third);

        // The successor is Ready: the pool is whole again, nothing to do.
        Instant t3 = NOW.plus(min(9));
        ObservedNode ready = machine("w-5")
                .createdAt(NOW.plusSeconds(10))
                .readySince(NOW.plus(min(8)))
                .build();
        HealingPlan fourth = plan(
                cluster("alpha", workers(5, with(Fixtures.healthy("w", 2), healthy("w-3"), healthy("w-4"), ready)))
                        .build(),
                history.withOutcome("w-2", ReplacementOutcome.SUCCEEDED, t3),
                t3);
        assertThat(fourth.actions()).singleElement().isInstanceOf(Noop.class);
    }

    @Test
    void aDeletionRancherDoesNotShowYetIsAskedForAgainAndCountedOnce() {
        HealingPlan first = plan(cluster("alpha", fiveWorkersOneDown()).build());
        HealingHistory history = HealingHistory.empty().after(first);

        // The request did not land (or Rancher's cache lags): w-2 looks as before. Deleting it again is harmless.
        HealingPlan again = plan(cluster("alpha", fiveWorkersOneDown()).build(), history, NOW.plusSeconds(30));

        assertThat(replaced(again)).containsExactly("w-2");
        assertThat(again.decisionFor("w-2").flatMap(HealingDecision::budget))
                .hasValueSatisfying(b -> assertThat(b.poolLastHour()).isEqualTo(1));
        assertThat(history.after(again).requestedSince(NOW.minus(min(60)), Optional.empty()))
                .isEqualTo(1);
    }

    @Test
    void replacesAMachineStuckProvisioning() {
        ObservedPool pool = workers(
                3,
                List.of(
                        healthy("w-0"),
                        healthy("w-1"),
                        machine("w-2").provisioningFor(min(25)).build()));

        HealingPlan plan = plan(cluster("alpha", pool).build());

        assertThat(plan.replacements()).singleElement().satisfies(r -> {
            assertThat(r.machine()).isEqualTo("w-2");
            assertThat(r.reason()).isEqualTo(HealingReasons.STUCK_PROVISIONING);
            assertThat(r.message()).contains("provisioning for 25 min, more than the provisioning timeout of 20 min");
        });
    }

    @Test
    void replacesAFailedMachineAtOnceAndFirst() {
        ObservedPool pool = workers(
                5,
                List.of(
                        healthy("w-0"),
                        healthy("w-1"),
                        notReadyFor("w-2", min(30)),
                        machine("w-3")
                                .failed("instance deleted by the provider")
                                .build(),
                        healthy("w-4")));
        HealingPolicy onlyOneAtOnce = DEFAULTS.withPoolOverride(
                "workers", DEFAULTS.roleDefault(NodeRole.WORKER).withMaxConcurrent(1));

        HealingPlan plan =
                PLANNER.plan(cluster("alpha", pool).build(), onlyOneAtOnce, HealingHistory.empty(), FLEET_BUDGET, NOW);

        assertThat(replaced(plan)).containsExactly("w-3");
        assertThat(plan.decisionFor("w-2").map(HealingDecision::reason))
                .contains(HealingReasons.POOL_CONCURRENCY_LIMIT);
    }

    @Test
    void neverReplacesMoreAtOnceThanThePoolAllowsMostOverdueFirst() {
        List<ObservedNode> nodes = new ArrayList<>(Fixtures.healthy("w", 7));
        nodes.add(notReadyFor("w-late", min(6)));
        nodes.add(notReadyFor("w-old", min(40)));
        nodes.add(notReadyFor("w-mid", min(20)));

        HealingPlan plan = plan(cluster("alpha", workers(10, nodes)).build());

        assertThat(replaced(plan)).containsExactly("w-old", "w-mid");
        assertThat(plan.holdBacks()).singleElement().satisfies(h -> {
            assertThat(h.machine()).contains("w-late");
            assertThat(h.rule()).isEqualTo(HealingRule.BUDGET);
            assertThat(h.reason()).isEqualTo(HealingReasons.POOL_CONCURRENCY_LIMIT);
            assertThat(h.message()).contains("2 replacements in flight in pool workers, its limit of 2 at once");
        });
    }

    @Test
    void replacementsInFlightCountAgainstThePoolsLimit() {
        List<ObservedNode> nodes = new ArrayList<>(Fixtures.healthy("w", 6));
        nodes.add(machine("w-a").notReadyFor(min(30)).deletingFor(min(1)).build());
        nodes.add(machine("w-b").provisioningFor(min(1)).build());
        nodes.add(machine("w-c").provisioningFor(min(1)).build());
        nodes.add(notReadyFor("w-d", min(10)));

        HealingPlan plan = plan(cluster("alpha", workers(9, nodes)).build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.decisionFor("w-d")).hasValueSatisfying(d -> {
            assertThat(d.reason()).isEqualTo(HealingReasons.POOL_CONCURRENCY_LIMIT);
            assertThat(d.budget())
                    .hasValueSatisfying(b -> assertThat(b.poolInFlight()).isEqualTo(2));
        });
    }

    @Test
    void anHourlyBudgetSaysWhenItFreesAReplacement() {
        List<PastReplacement> past = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            past.add(new PastReplacement(
                    "workers",
                    "w-old-" + i,
                    NOW.minus(min(58 - i)),
                    ReplacementOutcome.SUCCEEDED,
                    Optional.of(NOW.minus(min(48 - i)))));
        }
        HealingHistory history = new HealingHistory(past, Optional.empty(), Optional.empty(), Optional.empty());

        HealingPlan plan = plan(cluster("alpha", fiveWorkersOneDown()).build(), history, NOW);

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.decisionFor("w-2").map(HealingDecision::reason))
                .contains(HealingReasons.POOL_HOURLY_BUDGET_EXHAUSTED);
        assertThat(plan.nextLookIn()).as("the oldest request turns an hour old").isEqualTo(min(2));
    }

    // ---- too many unhealthy, jumps

    @Test
    void holdsBackReplacementWhenHalfThePoolIsNotReady() {
        ObservedPool pool = workers(
                6,
                with(
                        Fixtures.healthy("w", 3),
                        notReadyFor("w-7", min(10)),
                        notReadyFor("w-8", min(10)),
                        notReadyFor("w-9", min(10))));

        HealingPlan plan = plan(cluster("alpha", pool).build());

        assertThat(plan.replacements()).isEmpty();
        String message = "3 of 6 nodes of pool workers unhealthy (3 Ready=False, 50%), more than maxUnhealthy 40%"
                + " (at most 2 of 6): remediation held back, the cause is likely wider than the nodes";
        assertThat(plan.holdBacks())
                .containsExactly(new HoldBack(
                        "alpha",
                        Optional.of("workers"),
                        Optional.empty(),
                        HealingRule.MAX_UNHEALTHY,
                        HealingReasons.TOO_MANY_UNHEALTHY,
                        message));
        assertThat(plan.alerts())
                .containsExactly(
                        new RaiseAlert("alpha", Optional.of("workers"), HealingReasons.TOO_MANY_UNHEALTHY, message));
        assertThat(plan.decisions())
                .filteredOn(d -> d.machine().isPresent())
                .hasSize(3)
                .allSatisfy(d -> {
                    assertThat(d.verdict()).isEqualTo(Verdict.HOLD_BACK);
                    assertThat(d.rule()).isEqualTo(HealingRule.MAX_UNHEALTHY);
                    assertThat(d.evidence()).isPresent();
                });
    }

    @Test
    void freezesAllHealingOfTheClusterWhenTheUnhealthyShareJumps() {
        ObservedPool pool = workers(
                10,
                with(
                        Fixtures.healthy("w", 6),
                        notReadyFor("w-6", min(6)),
                        notReadyFor("w-7", min(6)),
                        notReadyFor("w-8", min(6)),
                        notReadyFor("w-9", min(6))));
        HealingHistory calm = new HealingHistory(
                List.of(),
                Optional.of(EvaluationSummary.seen(NOW.minus(min(1)), 0, 10)),
                Optional.empty(),
                Optional.empty());

        HealingPlan plan = plan(cluster("alpha", pool).build(), calm, NOW);

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.holdBacks()).singleElement().satisfies(h -> {
            assertThat(h.pool()).isEmpty();
            assertThat(h.reason()).isEqualTo(HealingReasons.UNHEALTHY_SHARE_JUMPED);
            assertThat(h.message()).contains("from 0 of 10 (0%) to 4 of 10 (40%)");
        });
        assertThat(plan.evaluation().jumped()).isTrue();

        // Still frozen a minute later, though nothing jumps any more.
        HealingHistory after = calm.after(plan);
        assertThat(after.lastJumpAt()).contains(NOW);
        HealingPlan later = plan(cluster("alpha", pool).build(), after, NOW.plus(min(1)));
        assertThat(later.replacements()).isEmpty();
        assertThat(later.clusterDecision().reason()).isEqualTo(HealingReasons.UNHEALTHY_SHARE_JUMPED);

        // Once the freeze is over the nodes are healed, within the budgets.
        HealingPlan thawed = plan(cluster("alpha", pool).build(), after.after(later), NOW.plus(min(16)));
        assertThat(thawed.replacements()).hasSize(2);
    }

    // ---- the fleet budget

    @Test
    void theFleetBudgetStopsMassReplacementWhenManyClustersOfOneProviderFail() {
        List<ClusterInput> sweep = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sweep.add(new ClusterInput(
                    cluster("os-" + i, fiveWorkersOneDown()).build(), DEFAULTS, HealingHistory.empty()));
        }
        sweep.add(new ClusterInput(
                cluster("aws-0", fiveWorkersOneDown()).fleetKey("aws/us-east-1").build(),
                DEFAULTS,
                HealingHistory.empty()));
        FleetBudget budget = new FleetBudget(3, Map.of(FLEET, 1));

        SweepPlan result = PLANNER.sweep(sweep, budget, NOW);

        List<String> replacedClusters = result.plans().stream()
                .flatMap(p -> p.replacements().stream())
                .map(ReplaceNode::cluster)
                .toList();
        assertThat(replacedClusters).containsExactly("os-0", "os-1", "aws-0");
        assertThat(result.plans().subList(2, 10)).allSatisfy(p -> {
            assertThat(p.replacements()).isEmpty();
            assertThat(p.holdBacks()).singleElement().satisfies(h -> {
                assertThat(h.reason()).isEqualTo(HealingReasons.FLEET_BUDGET_EXHAUSTED);
                assertThat(h.message()).contains("3 replacements requested across the clusters of " + FLEET);
            });
            assertThat(p.alerts()).extracting(RaiseAlert::kind).containsExactly(HealingReasons.FLEET_BUDGET_EXHAUSTED);
        });
        assertThat(result.fleetBudget().spent(FLEET)).isEqualTo(3);
        assertThat(result.fleetBudget().spent("aws/us-east-1")).isEqualTo(1);
    }

    // ---- holding back

    @Test
    void holdsBackHealingDuringAnUpgrade() {
        HealingPlan plan = plan(cluster("alpha", fiveWorkersOneDown())
                .running(DayTwoOperation.UPGRADE)
                .build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.holdBacks()).singleElement().satisfies(h -> {
            assertThat(h.pool()).isEmpty();
            assertThat(h.rule()).isEqualTo(HealingRule.DAY_TWO);
            assertThat(h.message())
                    .isEqualTo("An upgrade of the cluster is in progress: healing holds back until it ends; 1 of 5"
                            + " nodes unhealthy, 1 due for replacement");
        });
        assertThat(plan.decisionFor("w-2")).hasValueSatisfying(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.HOLD_BACK);
            assertThat(d.reason()).isEqualTo(HealingReasons.UPGRADE_IN_PROGRESS);
        });
        assertThat(plan.clusterDecision().verdict()).isEqualTo(Verdict.HOLD_BACK);
    }

    @Test
    void holdsBackAPausedClusterAndAPausedPoolVisibly() {
        HealingPlan paused =
                plan(cluster("alpha", fiveWorkersOneDown()).paused().build());
        assertThat(paused.replacements()).isEmpty();
        assertThat(paused.holdBacks()).extracting(HoldBack::reason).containsExactly(HealingReasons.CLUSTER_PAUSED);

        ObservedPool pool = fiveWorkersOneDown();
        ObservedPool pausedPool =
                new ObservedPool(pool.name(), pool.roles(), pool.desiredQuantity(), true, pool.nodes());
        ObservedPool etcd = etcd(3, with(Fixtures.healthy("cp", 2), notReadyFor("cp-9", min(20))));
        HealingPlan poolPaused = plan(cluster("alpha", pausedPool, etcd).build());
        assertThat(replaced(poolPaused)).containsExactly("cp-9");
        assertThat(poolPaused.holdBacks()).singleElement().satisfies(h -> {
            assertThat(h.pool()).contains("workers");
            assertThat(h.reason()).isEqualTo(HealingReasons.NODE_POOL_PAUSED);
        });
    }

    // ---- etcd

    @Test
    void healsAFailedMemberOfThreeEtcdMembersWithoutEverTwoDownAtOnce() {
        List<ObservedNode> workers = Fixtures.healthy("w", 3);
        // cp-2 has been NotReady for 15 min, past etcd's 10 min.
        ObservedCluster failed = cluster(
                        "alpha",
                        etcd(3, List.of(healthy("cp-0"), healthy("cp-1"), notReadyFor("cp-2", min(15)))),
                        workers(3, workers))
                .build();
        List<HealingPlan> walk = new ArrayList<>();
        HealingPlan first = plan(failed);
        walk.add(first);
        assertThat(replaced(first)).containsExactly("cp-2");
        HealingHistory history = HealingHistory.empty().after(first);

        // The old member goes, the new one provisions: nothing more in etcd until it is healthy.
        Instant t1 = NOW.plus(min(1));
        ObservedCluster replacing = cluster(
                        "alpha",
                        etcd(
                                3,
                                List.of(
                                        healthy("cp-0"),
                                        healthy("cp-1"),
                                        machine("cp-2")
                                                .notReadyFor(min(15))
                                                .deletingSince(NOW.plusSeconds(5))
                                                .build(),
                                        machine("cp-3")
                                                .provisioningSince(NOW.plusSeconds(20))
                                                .build())),
                        workers(3, workers))
                .build();
        HealingPlan second = plan(replacing, history, t1);
        walk.add(second);
        assertThat(second.replacements()).isEmpty();
        history = history.after(second);

        // The new member joined, not Ready yet (longer than etcd's 10 min timeout): still coming up, not judged.
        Instant t2 = NOW.plus(min(12));
        ObservedCluster joining = cluster(
                        "alpha",
                        etcd(
                                3,
                                List.of(
                                        healthy("cp-0"),
                                        healthy("cp-1"),
                                        machine("cp-3")
                                                .joiningSince(NOW.plusSeconds(20))
                                                .build())),
                        workers(3, workers))
                .build();
        HealingPlan third = plan(joining, history, t2);
        walk.add(third);
        assertThat(third.replacements()).isEmpty();
        history = history.after(third);

        // Healthy: done.
        Instant t3 = NOW.plus(min(14));
        ObservedCluster healed = cluster(
                        "alpha",
                        etcd(
                                3,
                                List.of(
                                        healthy("cp-0"),
                                        healthy("cp-1"),
                                        machine("cp-3")
                                                .createdAt(NOW.plusSeconds(20))
                                                .readySince(NOW.plus(min(13)))
                                                .build())),
                        workers(3, workers))
                .build();
        HealingPlan fourth = plan(healed, history.withOutcome("cp-2", ReplacementOutcome.SUCCEEDED, t3), t3);
        walk.add(fourth);
        assertThat(fourth.actions()).singleElement().isInstanceOf(Noop.class);

        assertThat(walk).allSatisfy(p -> assertThat(p.replacements()).hasSizeLessThanOrEqualTo(1));
    }

    @Test
    void replacesEtcdMembersOneAtATimeWaitingForTheNewOneToBeHealthy() {
        // Five members, two of them down: one is replaced, the other waits.
        List<ObservedNode> members =
                with(Fixtures.healthy("cp", 3), notReadyFor("cp-3", min(30)), notReadyFor("cp-4", min(20)));
        HealingPlan first = plan(cluster("alpha", etcd(5, members)).build());
        assertThat(replaced(first)).containsExactly("cp-3");
        assertThat(first.decisionFor("cp-4").map(HealingDecision::reason))
                .contains(HealingReasons.ONE_ETCD_REPLACEMENT_AT_A_TIME);

        // cp-3 is being replaced: cp-4 still waits, whatever the pool's budget would allow.
        HealingPolicy generous = DEFAULTS.withPoolOverride(
                "cp", DEFAULTS.roleDefault(NodeRole.ETCD).withMaxConcurrent(3).withMaxPerHour(10));
        List<ObservedNode> replacing = with(
                Fixtures.healthy("cp", 3),
                machine("cp-3").notReadyFor(min(31)).deletingFor(min(1)).build(),
                notReadyFor("cp-4", min(21)),
                machine("cp-5").provisioningFor(min(1)).build());
        HealingPlan second = PLANNER.plan(
                cluster("alpha", etcd(5, replacing)).build(),
                generous,
                HealingHistory.empty().after(first),
                FLEET_BUDGET,
                NOW.plus(min(1)));
        assertThat(second.replacements()).isEmpty();
        assertThat(second.decisionFor("cp-4").map(HealingDecision::message)).hasValueSatisfying(m -> assertThat(m)
                .endsWith("2 etcd machines are being deleted or still coming up: the next etcd member is"
                        + " replaced once they are healthy"));

        // cp-5 is a healthy member now: cp-4 goes.
        List<ObservedNode> healed = with(Fixtures.healthy("cp", 3), notReadyFor("cp-4", min(40)), healthy("cp-5"));
        HealingPlan third = PLANNER.plan(
                cluster("alpha", etcd(5, healed)).build(),
                generous,
                HealingHistory.empty().after(first).withOutcome("cp-3", ReplacementOutcome.SUCCEEDED, NOW),
                FLEET_BUDGET,
                NOW.plus(min(20)));
        assertThat(replaced(third)).containsExactly("cp-4");
    }

    @Test
    void neverReplacesTheOnlyEtcdMemberAndAlerts() {
        HealingPlan plan = plan(
                cluster("alpha", etcd(1, List.of(notReadyFor("cp-0", min(30))))).build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.decisionFor("cp-0").map(HealingDecision::reason)).contains(HealingReasons.ETCD_QUORUM_LOST);
        assertThat(plan.alerts()).extracting(RaiseAlert::kind).containsExactly(HealingReasons.ETCD_QUORUM_LOST);
    }

    // ---- failures of healing itself

    @Test
    void backsOffAfterAReplacementFailedAndTriesAgainAfterwards() {
        HealingHistory oneFailure = new HealingHistory(
                List.of(new PastReplacement(
                        "workers",
                        "w-gone",
                        NOW.minus(min(30)),
                        ReplacementOutcome.FAILED,
                        Optional.of(NOW.minus(min(12))))),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        HealingPlan plan = plan(cluster("alpha", fiveWorkersOneDown()).build(), oneFailure, NOW);

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.decisionFor("w-2")).hasValueSatisfying(d -> {
            assertThat(d.rule()).isEqualTo(HealingRule.BACKOFF);
            assertThat(d.message()).contains("back-off of 15 min, next attempt in 3 min");
        });
        assertThat(plan.alerts()).isEmpty();
        assertThat(plan.nextLookIn()).isEqualTo(min(3));

        HealingPlan later = plan(cluster("alpha", fiveWorkersOneDown()).build(), oneFailure, NOW.plus(min(4)));
        assertThat(replaced(later)).containsExactly("w-2");
    }

    @Test
    void alertsAfterRepeatedReplacementFailures() {
        List<PastReplacement> failures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failures.add(new PastReplacement(
                    "workers",
                    "w-f" + i,
                    NOW.minus(min(200 - 60L * i)),
                    ReplacementOutcome.FAILED,
                    Optional.of(NOW.minus(min(190 - 60L * i)))));
        }
        HealingHistory history = new HealingHistory(failures, Optional.empty(), Optional.empty(), Optional.empty());

        HealingPlan plan = plan(cluster("alpha", fiveWorkersOneDown()).build(), history, NOW);

        // The last failure was 70 min ago; after three in a row the back-off is 60 min: it tries again, and alerts.
        assertThat(replaced(plan)).containsExactly("w-2");
        assertThat(plan.alerts()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(HealingReasons.REPEATED_REPLACEMENT_FAILURES);
            assertThat(a.message()).startsWith("3 replacements in pool workers failed in a row (alert from 3)");
        });
    }

    @Test
    void aMachineStuckDeletingRaisesAnAlertAndStaysInFlight() {
        List<ObservedNode> nodes = with(
                Fixtures.healthy("w", 3),
                machine("w-stuck").notReadyFor(min(60)).deletingFor(min(45)).build(),
                notReadyFor("w-9", min(10)));
        HealingPolicy oneAtOnce = DEFAULTS.withPoolOverride(
                "workers", DEFAULTS.roleDefault(NodeRole.WORKER).withMaxConcurrent(1));

        HealingPlan plan = PLANNER.plan(
                cluster("alpha", workers(5, nodes)).build(), oneAtOnce, HealingHistory.empty(), FLEET_BUDGET, NOW);

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.alerts()).extracting(RaiseAlert::kind).containsExactly(HealingReasons.STUCK_DELETING);
        assertThat(plan.decisionFor("w-9").map(HealingDecision::reason))
                .contains(HealingReasons.POOL_CONCURRENCY_LIMIT);
    }

    // ---- reachability

    @Test
    void leavesAClusterWhoseApiCannotBeReachedAlone() {
        HealingPlan plan =
                plan(cluster("alpha", fiveWorkersOneDown()).apiUnreachable().build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.holdBacks()).singleElement().satisfies(h -> {
            assertThat(h.reason()).isEqualTo(HealingReasons.CLUSTER_API_UNREACHABLE);
            assertThat(h.message())
                    .isEqualTo("The cluster's API cannot be reached: its nodes are not judged and nothing is replaced");
        });
        assertThat(plan.decisions()).singleElement().satisfies(d -> assertThat(d.verdict())
                .isEqualTo(Verdict.HOLD_BACK));
        assertThat(plan.evaluation().observed()).isFalse();

        // Seen again a minute later: the nodes may not have reported yet, so nothing is judged.
        HealingHistory history = HealingHistory.empty().after(plan);
        assertThat(history.lastBlindAt()).contains(NOW);
        HealingPlan back = plan(cluster("alpha", fiveWorkersOneDown()).build(), history, NOW.plus(min(1)));
        assertThat(back.replacements()).isEmpty();
        assertThat(back.clusterDecision().reason()).isEqualTo(HealingReasons.REACHABILITY_SETTLING);

        // Settled: judged again.
        HealingPlan settled =
                plan(cluster("alpha", fiveWorkersOneDown()).build(), history.after(back), NOW.plus(min(3)));
        assertThat(replaced(settled)).containsExactly("w-2");
    }

    @Test
    void freezesHealingWhileRancherIsUnreachable() {
        HealingPlan plan =
                plan(cluster("alpha", fiveWorkersOneDown()).rancherUnreachable().build());

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.holdBacks()).extracting(HoldBack::reason).containsExactly(HealingReasons.RANCHER_UNREACHABLE);
        assertThat(plan.fleetSpend()).isZero();
    }

    // ---- dry run

    @Test
    void aDryRunPlansAndRecordsButDoesNotAct() {
        HealingPlan plan = PLANNER.plan(
                cluster("alpha", fiveWorkersOneDown()).build(),
                DEFAULTS.withDryRun(true),
                HealingHistory.empty(),
                FLEET_BUDGET,
                NOW);

        assertThat(plan.replacements()).isEmpty();
        assertThat(plan.dryRunReplacements()).singleElement().satisfies(w -> {
            assertThat(w.machine()).isEqualTo("w-2");
            assertThat(w.acts()).isFalse();
            assertThat(w.message()).startsWith("Dry run, not carried out: would replace machine w-2 of pool workers");
        });
        assertThat(plan.actions()).noneMatch(HealingAction::acts);
        assertThat(plan.decisionFor("w-2")).hasValueSatisfying(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.WOULD_REPLACE);
            assertThat(d.evidence()).isPresent();
        });
        assertThat(HealingHistory.empty().after(plan).replacements()).isEmpty();
    }

    @Test
    void aPoolCanBeInDryRunAlone() {
        HealingPolicy workersDry = DEFAULTS.withPoolOverride(
                "workers", DEFAULTS.roleDefault(NodeRole.WORKER).withDryRun(true));
        ObservedPool etcd = etcd(3, with(Fixtures.healthy("cp", 2), notReadyFor("cp-9", min(20))));

        HealingPlan plan = PLANNER.plan(
                cluster("alpha", fiveWorkersOneDown(), etcd).build(),
                workersDry,
                HealingHistory.empty(),
                FLEET_BUDGET,
                NOW);

        assertThat(replaced(plan)).containsExactly("cp-9");
        assertThat(plan.dryRunReplacements())
                .extracting(WouldReplaceNode::machine)
                .containsExactly("w-2");
    }

    // ---- records

    @Test
    void recordsEveryNodeThatIsNotHealthyAndEveryActionHasItsRecord() {
        List<ObservedNode> nodes = with(
                Fixtures.healthy("w", 4),
                notReadyFor("w-due", min(9)),
                notReadyFor("w-soon", min(1)),
                machine("w-new").provisioningFor(min(3)).build());
        ObservedPool pool = new ObservedPool("workers", Set.of(NodeRole.WORKER), 8, false, nodes);

        HealingPlan plan = plan(cluster("alpha", pool).build());

        assertThat(plan.decisions())
                .extracting(d -> d.machine().orElse("-") + " " + d.verdict() + " " + d.reason())
                .containsExactly(
                        "- REPLACE Evaluated",
                        "- NONE NodesMissing",
                        "w-soon WAIT WaitingForTimeout",
                        "w-new WAIT StillProvisioning",
                        "w-due REPLACE NodeUnhealthy");
        assertThat(plan.clusterDecision().message())
                .isEqualTo("Evaluated cluster alpha: 3 of 8 nodes unhealthy (38%) in 1 pool; 1 replaced, 0 dry-run,"
                        + " 0 held back, 2 waiting");
        for (HealingAction action : plan.actions()) {
            if (action instanceof ReplaceNode r) {
                assertThat(plan.decisionFor(r.machine())).isPresent();
            }
            if (action instanceof HoldBack h && h.machine().isPresent()) {
                assertThat(plan.decisionFor(h.machine().get())).isPresent();
            }
        }
    }

    @Test
    void theSameInputsGiveTheSamePlan() {
        ObservedCluster observed = cluster("alpha", fiveWorkersOneDown()).build();

        assertThat(plan(observed)).isEqualTo(plan(observed));
    }

    @Test
    void lookingAgainIsNeverSoonerThanASecond() {
        ObservedPool pool = workers(
                3,
                with(
                        Fixtures.healthy("w", 2),
                        machine("w-9")
                                .notReadySince(NOW.minus(min(5)).plusMillis(1))
                                .build()));

        assertThat(plan(cluster("alpha", pool).build()).nextLookIn()).isEqualTo(Duration.ofSeconds(1));
    }
}
