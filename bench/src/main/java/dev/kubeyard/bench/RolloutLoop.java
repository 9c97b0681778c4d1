package dev.kubeyard.bench;

import dev.kubeyard.addons.rollout.ClusterState;
import dev.kubeyard.addons.rollout.Rollout;
import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.addons.rollout.RolloutPlanner;
import dev.kubeyard.addons.rollout.RolloutTarget;
import dev.kubeyard.addons.rollout.TargetPhase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A rollout stepped as {@code RolloutRunner} and {@code RolloutService.step} step it, over the in-memory store:
 * every {@code every}, read every cluster's state, {@link RolloutPlanner#step}, set the versions it asks for (the
 * generation advances) and nudge those clusters' controllers. Records when each target and the rollout changed phase.
 */
final class RolloutLoop {

    /** A target's phase change, seen at the step that made it. */
    record TargetEvent(String cluster, int wave, TargetPhase from, TargetPhase to, long atNanos, String message) {}

    /** The rollout's phase change. */
    record PhaseEvent(RolloutPhase phase, long atNanos, String message) {}

    /**
     * What a rollout came to.
     *
     * @param plannerNanos time of each {@link RolloutPlanner#step} call (the pure function alone), in order
     * @param versionChanges installations whose version a step changed
     */
    record Outcome(
            Rollout last,
            long createdNanos,
            long endNanos,
            List<TargetEvent> events,
            List<PhaseEvent> phases,
            List<Long> plannerNanos,
            int versionChanges,
            boolean timedOut) {

        Duration took() {
            return Duration.ofNanos(endNanos - createdNanos);
        }

        /** When the first event of this kind happened to the cluster, if ever. */
        java.util.Optional<TargetEvent> first(String cluster, TargetPhase to) {
            return events.stream()
                    .filter(e -> e.cluster().equals(cluster) && e.to() == to)
                    .findFirst();
        }

        java.util.Optional<PhaseEvent> firstPhase(RolloutPhase phase) {
            return phases.stream().filter(p -> p.phase() == phase).findFirst();
        }
    }

    private RolloutLoop() {}

    static Outcome run(
            Rollout created,
            InMemoryAddonStore store,
            BenchAddonControllers controllers,
            Clock clock,
            Duration every,
            Duration deadline)
            throws InterruptedException {
        long createdNanos = System.nanoTime();
        Rollout rollout = created;
        List<TargetEvent> events = new ArrayList<>();
        List<PhaseEvent> phases = new ArrayList<>();
        phases.add(new PhaseEvent(rollout.phase(), createdNanos, rollout.message()));
        List<Long> planner = new ArrayList<>();
        int changes = 0;
        long end = createdNanos + deadline.toNanos();
        while (true) {
            long t0 = System.nanoTime();
            Map<String, ClusterState> states = store.rolloutStates();
            long p0 = System.nanoTime();
            RolloutPlanner.Step step = RolloutPlanner.step(rollout, states, clock.instant());
            planner.add(System.nanoTime() - p0);
            if (step.changedAnything(rollout)) {
                Set<String> touched = new LinkedHashSet<>();
                for (RolloutPlanner.SetVersion change : step.changes()) {
                    if (store.change(change.cluster(), change.version())) {
                        touched.add(change.cluster());
                    }
                }
                long at = System.nanoTime();
                for (int i = 0; i < step.targets().size(); i++) {
                    RolloutTarget before = rollout.targets().get(i);
                    RolloutTarget after = step.targets().get(i);
                    if (before.phase() != after.phase()) {
                        events.add(new TargetEvent(
                                after.cluster(), after.wave(), before.phase(), after.phase(), at, after.message()));
                    }
                }
                if (step.phase() != rollout.phase()) {
                    phases.add(new PhaseEvent(step.phase(), at, step.message()));
                }
                changes += touched.size();
                rollout = new Rollout(
                        rollout.id(),
                        rollout.addon(),
                        rollout.targetVersion(),
                        rollout.settings(),
                        step.phase(),
                        step.message(),
                        step.targets(),
                        rollout.createdAt());
                touched.forEach(controllers::nudge);
            }
            if (!rollout.phase().active()) {
                return new Outcome(rollout, createdNanos, System.nanoTime(), events, phases, planner, changes, false);
            }
            if (System.nanoTime() > end) {
                return new Outcome(rollout, createdNanos, System.nanoTime(), events, phases, planner, changes, true);
            }
            long wait = t0 + every.toNanos() - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }
}
