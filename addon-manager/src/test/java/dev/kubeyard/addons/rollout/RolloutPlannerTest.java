package dev.kubeyard.addons.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.addons.plan.InstallationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rollout planner driven step by step over simulated clusters: each step's version changes are "carried out" by
 * moving the cluster's reported status to the new version, healthy or not as the scenario says.
 */
class RolloutPlannerTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** A fleet of clusters whose installations report what the scenario says. */
    static final class Fleet {
        final Map<String, ClusterState> states = new HashMap<>();
        final java.util.Set<String> brokenAt2 = new java.util.HashSet<>();
        final java.util.Set<String> brokenAt1 = new java.util.HashSet<>();
        final java.util.Set<String> unhealthy = new java.util.HashSet<>();
        long generation = 1;

        Fleet(List<String> names) {
            names.forEach(n -> states.put(n, state(n, "1.0.0", true, T0)));
        }

        ClusterState state(String name, String version, boolean healthy, Instant at) {
            List<Condition> conditions = List.of(
                    new Condition(Condition.APPLIED, "True", "Applied", "", at),
                    new Condition(
                            Condition.HEALTHY,
                            healthy ? "True" : "False",
                            healthy ? "WorkloadsReady" : "WorkloadsNotReady",
                            "",
                            at),
                    new Condition(Condition.DEGRADED, "False", "AsExpected", "", at));
            long g = generation++;
            InstallationStatus status = new InstallationStatus(
                    g,
                    version,
                    "d-" + version,
                    at,
                    healthy ? version : "1.0.0",
                    healthy ? at : null,
                    healthy ? null : at,
                    conditions,
                    List.of(),
                    0,
                    at,
                    List.of());
            return new ClusterState(
                    name,
                    !unhealthy.contains(name),
                    unhealthy.contains(name) ? "agent disconnected" : "",
                    version,
                    g,
                    status);
        }

        void carryOut(RolloutPlanner.Step step, Instant at) {
            for (RolloutPlanner.SetVersion change : step.changes()) {
                boolean healthy = !(change.version().equals("2.0.0") && brokenAt2.contains(change.cluster()))
                        && !(change.version().equals("1.0.0") && brokenAt1.contains(change.cluster()));
                states.put(change.cluster(), state(change.cluster(), change.version(), healthy, at));
            }
        }
    }

    static List<String> names(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> String.format("c%02d", i))
                .toList();
    }

    static Rollout start(List<String> clusters, RolloutSettings settings) {
        return new Rollout(
                UUID.randomUUID(),
                "demo",
                "2.0.0",
                settings,
                RolloutPhase.RUNNING,
                "",
                Rollout.waves(clusters, settings),
                T0);
    }

    /** Steps until the rollout ends (or 200 steps), one second apart. */
    static Rollout run(Rollout rollout, Fleet fleet, List<Integer> concurrency) {
        return run(rollout, fleet, concurrency, 200);
    }

    static Rollout run(Rollout rollout, Fleet fleet, List<Integer> concurrency, int steps) {
        Instant now = T0;
        for (int i = 0; i < steps && rollout.phase().active(); i++) {
            now = now.plusSeconds(1);
            RolloutPlanner.Step step = RolloutPlanner.step(rollout, fleet.states, now);
            fleet.carryOut(step, now);
            rollout = new Rollout(
                    rollout.id(),
                    rollout.addon(),
                    rollout.targetVersion(),
                    rollout.settings(),
                    step.phase(),
                    step.message(),
                    step.targets(),
                    rollout.createdAt());
            concurrency.add((int) rollout.targets().stream()
                    .filter(t -> t.phase() == TargetPhase.UPDATING || t.phase() == TargetPhase.SOAKING)
                    .count());
        }
        return rollout;
    }

    static final RolloutSettings GATED =
            new RolloutSettings(1, 5, Duration.ofSeconds(2), 0, true, Duration.ofSeconds(10));

    @Test
    void wavesGoCanaryFirstThenAtMostMaxConcurrentAndEveryClusterSucceeds() {
        List<String> clusters = names(20);
        Fleet fleet = new Fleet(clusters);
        List<Integer> concurrency = new java.util.ArrayList<>();
        Rollout done = run(start(clusters, GATED), fleet, concurrency);
        assertThat(done.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
        assertThat(done.count(TargetPhase.SUCCEEDED)).isEqualTo(20);
        assertThat(concurrency).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
        assertThat(done.targets().getFirst().wave()).isZero();
        assertThat(done.targets().get(1).wave()).isEqualTo(1);
        assertThat(done.targets().get(19).wave()).isEqualTo(4);
        assertThat(fleet.states.values())
                .allSatisfy(s -> assertThat(s.desiredVersion()).isEqualTo("2.0.0"));
    }

    @Test
    void aFailureOverTheBudgetStopsTheRolloutAndEveryChangedClusterGoesBack() {
        List<String> clusters = names(20);
        Fleet fleet = new Fleet(clusters);
        fleet.brokenAt2.add("c08");
        Rollout done = run(start(clusters, GATED), fleet, new java.util.ArrayList<>());
        assertThat(done.phase()).isEqualTo(RolloutPhase.ROLLED_BACK);
        assertThat(done.message()).contains("c08");
        for (String c : clusters.subList(0, 11)) {
            assertThat(fleet.states.get(c).desiredVersion()).as(c).isEqualTo("1.0.0");
        }
        assertThat(done.targets().subList(11, 20))
                .allSatisfy(t -> assertThat(t.phase()).isEqualTo(TargetPhase.PENDING));
        assertThat(done.targets().subList(0, 11))
                .allSatisfy(t -> assertThat(t.phase()).isEqualTo(TargetPhase.ROLLED_BACK));
    }

    @Test
    void withinTheBudgetTheRolloutGoesOnAndEndsWithTheFailureCounted() {
        List<String> clusters = names(8);
        Fleet fleet = new Fleet(clusters);
        fleet.brokenAt2.add("c03");
        RolloutSettings budget = new RolloutSettings(1, 3, Duration.ZERO, 1, true, Duration.ofSeconds(5));
        Rollout done = run(start(clusters, budget), fleet, new java.util.ArrayList<>());
        assertThat(done.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
        assertThat(done.count(TargetPhase.FAILED)).isEqualTo(1);
        assertThat(done.count(TargetPhase.SUCCEEDED)).isEqualTo(7);
    }

    @Test
    void withTheGateOffFailuresDoNotStopIt() {
        List<String> clusters = names(6);
        Fleet fleet = new Fleet(clusters);
        fleet.brokenAt2.add("c01");
        RolloutSettings ungated = new RolloutSettings(1, 5, Duration.ZERO, 0, false, Duration.ofSeconds(3));
        Rollout done = run(start(clusters, ungated), fleet, new java.util.ArrayList<>());
        assertThat(done.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
        assertThat(done.count(TargetPhase.FAILED)).isEqualTo(1);
    }

    @Test
    void anUnhealthyClusterIsLeftOutOfItsWave() {
        List<String> clusters = names(4);
        Fleet fleet = new Fleet(clusters);
        fleet.unhealthy.add("c02");
        fleet.states.put("c02", fleet.state("c02", "1.0.0", true, T0));
        Rollout done = run(start(clusters, GATED), fleet, new java.util.ArrayList<>());
        assertThat(done.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
        RolloutTarget skipped = done.targets().get(1);
        assertThat(skipped.phase()).isEqualTo(TargetPhase.SKIPPED);
        assertThat(skipped.message()).contains("agent disconnected");
        assertThat(fleet.states.get("c02").desiredVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aPausedRolloutStartsNoNewWave() {
        List<String> clusters = names(6);
        Fleet fleet = new Fleet(clusters);
        Rollout paused = new Rollout(
                UUID.randomUUID(), "demo", "2.0.0", GATED, RolloutPhase.PAUSED, "", Rollout.waves(clusters, GATED), T0);
        RolloutPlanner.Step step = RolloutPlanner.step(paused, fleet.states, T0.plusSeconds(1));
        assertThat(step.changes()).isEmpty();
        assertThat(step.phase()).isEqualTo(RolloutPhase.PAUSED);
    }

    @Test
    void aReportAboutAnOlderGenerationGivesNoVerdict() {
        List<String> clusters = names(1);
        Fleet fleet = new Fleet(clusters);
        RolloutSettings settings = new RolloutSettings(1, 1, Duration.ZERO, 0, true, Duration.ofSeconds(30));
        Rollout rollout = start(clusters, settings);
        RolloutPlanner.Step first = RolloutPlanner.step(rollout, fleet.states, T0.plusSeconds(1));
        assertThat(first.changes()).hasSize(1);
        // The controller's report is still about the generation before the change: Degraded at 1.0.0, say.
        ClusterState old = fleet.states.get("c01");
        InstallationStatus degraded = new InstallationStatus(
                old.status().observedGeneration(),
                "1.0.0",
                "d",
                T0,
                "1.0.0",
                null,
                T0,
                List.of(
                        new Condition(Condition.DEGRADED, "True", "ApplyFailed", "", T0),
                        new Condition(Condition.HEALTHY, "False", "WorkloadsNotReady", "", T0)),
                List.of(),
                0,
                T0.plusSeconds(2),
                List.of());
        fleet.states.put("c01", new ClusterState("c01", true, "", "2.0.0", old.generation() + 1, degraded));
        Rollout after = new Rollout(rollout.id(), "demo", "2.0.0", settings, first.phase(), "", first.targets(), T0);
        RolloutPlanner.Step second = RolloutPlanner.step(after, fleet.states, T0.plusSeconds(3));
        assertThat(second.targets().getFirst().phase()).isEqualTo(TargetPhase.UPDATING);
        assertThat(second.phase()).isEqualTo(RolloutPhase.RUNNING);
    }

    @Test
    void aClusterNotSeenWhileSoakingIsNeitherFailedNorDone() {
        List<String> clusters = names(1);
        Fleet fleet = new Fleet(clusters);
        RolloutSettings settings = new RolloutSettings(1, 1, Duration.ofSeconds(60), 0, true, Duration.ofSeconds(30));
        Rollout rollout = run(start(clusters, settings), fleet, new java.util.ArrayList<>(), 3);
        assertThat(rollout.targets().getFirst().phase()).isEqualTo(TargetPhase.SOAKING);
        ClusterState seen = fleet.states.get("c01");
        InstallationStatus unseen = new InstallationStatus(
                seen.generation(),
                "2.0.0",
                "d",
                T0,
                "2.0.0",
                null,
                null,
                List.of(new Condition(Condition.HEALTHY, "Unknown", "ClusterUnreachable", "", T0)),
                List.of(),
                0,
                T0.plusSeconds(5),
                List.of());
        fleet.states.put("c01", new ClusterState("c01", true, "", "2.0.0", seen.generation(), unseen));
        RolloutPlanner.Step step = RolloutPlanner.step(rollout, fleet.states, T0.plusSeconds(10));
        assertThat(step.targets().getFirst().phase()).isEqualTo(TargetPhase.SOAKING);
    }

    @Test
    void aRollbackThatDoesNotComeBackHealthyStillEndsAfterTheDeadline() {
        List<String> clusters = names(2);
        Fleet fleet = new Fleet(clusters);
        fleet.brokenAt2.add("c01");
        fleet.brokenAt1.add("c01");
        RolloutSettings settings = new RolloutSettings(1, 1, Duration.ZERO, 0, true, Duration.ofSeconds(5));
        Rollout done = run(start(clusters, settings), fleet, new java.util.ArrayList<>());
        assertThat(done.phase()).isEqualTo(RolloutPhase.ROLLED_BACK);
        assertThat(done.targets().getFirst().message()).contains("not healthy within 5 s");
        assertThat(fleet.states.get("c01").desiredVersion()).isEqualTo("1.0.0");
    }
}
