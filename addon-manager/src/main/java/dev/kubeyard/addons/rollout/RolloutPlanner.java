package dev.kubeyard.addons.rollout;

import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.addons.plan.InstallationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a rollout, from where it stands and what its clusters report. Pure: the runner stores the step and
 * sets the versions it asks for, in one transaction.
 *
 * <ul>
 *   <li>A wave starts when every earlier target has settled (succeeded, failed or skipped). A cluster that is unhealthy
 *       when its wave comes is skipped, with the reason.
 *   <li>A started cluster succeeds once it has been healthy at the new version for the soak time; it fails when it is
 *       not healthy within the progress deadline, when its installation reports Degraded at the new version, or when
 *       it turns unhealthy while the rollout runs (soaking or already done).
 *   <li>With the health gate on, more failures than the budget stop the rollout: every cluster it changed goes back
 *       to its previous version (the last one healthy there), automatically. Clusters not reached are left alone.
 *   <li>A paused rollout starts no new wave but keeps judging the clusters it changed.
 * </ul>
 */
public final class RolloutPlanner {

    /** A version change the step asks for. */
    public record SetVersion(String cluster, String version, String reason) {}

    public record Step(RolloutPhase phase, String message, List<RolloutTarget> targets, List<SetVersion> changes) {

        public boolean changedAnything(Rollout before) {
            return phase != before.phase() || !targets.equals(before.targets()) || !changes.isEmpty();
        }
    }

    private RolloutPlanner() {}

    public static Step step(Rollout rollout, Map<String, ClusterState> clusters, Instant now) {
        RolloutSettings settings = rollout.settings();
        String target = rollout.targetVersion();
        List<RolloutTarget> targets = new ArrayList<>(rollout.targets());
        List<SetVersion> changes = new ArrayList<>();
        RolloutPhase phase = rollout.phase();
        String message = rollout.message();

        if (phase == RolloutPhase.SUCCEEDED || phase == RolloutPhase.ROLLED_BACK) {
            return new Step(phase, message, targets, changes);
        }
        // Judge every cluster the rollout changed.
        if (phase != RolloutPhase.ROLLING_BACK) {
            for (int i = 0; i < targets.size(); i++) {
                targets.set(i, judge(targets.get(i), clusters.get(targets.get(i).cluster()), target, settings, now));
            }
            long failed = targets.stream()
                    .filter(t -> t.phase() == TargetPhase.FAILED)
                    .count();
            if (settings.healthGate() && failed > settings.failureBudget()) {
                phase = RolloutPhase.ROLLING_BACK;
                message = failed + " cluster" + (failed == 1 ? "" : "s") + " failed, over the budget of "
                        + settings.failureBudget() + ": rolling back the clusters this rollout changed ("
                        + firstFailure(targets) + ")";
            }
        }
        if (phase == RolloutPhase.ROLLING_BACK) {
            return rollBack(targets, clusters, message, changes, now, settings.progressDeadline());
        }
        if (phase == RolloutPhase.RUNNING) {
            Optional<Integer> wave = nextWave(targets);
            if (wave.isPresent()) {
                for (int i = 0; i < targets.size(); i++) {
                    RolloutTarget t = targets.get(i);
                    if (t.wave() != wave.get() || t.phase() != TargetPhase.PENDING) {
                        continue;
                    }
                    ClusterState state = clusters.get(t.cluster());
                    if (state == null) {
                        targets.set(i, t.with(TargetPhase.SKIPPED, "the addon is no longer installed there", now));
                    } else if (!state.clusterHealthy()) {
                        targets.set(
                                i,
                                t.with(
                                        TargetPhase.SKIPPED,
                                        "left out, the cluster is unhealthy: " + state.problem(),
                                        now));
                    } else if (!target.equals(state.desiredVersion()) && !state.healthyAt(state.desiredVersion())) {
                        // Only a healthy installation is moved: what it runs now is then the last healthy version,
                        // the one a rollback goes back to.
                        targets.set(
                                i,
                                t.with(
                                        TargetPhase.SKIPPED,
                                        "left out, the addon is unhealthy there at " + state.desiredVersion() + ": "
                                                + reason(state.status()),
                                        now));
                    } else if (target.equals(state.desiredVersion()) && state.healthyAt(target)) {
                        targets.set(i, t.started(target, now).with(TargetPhase.SUCCEEDED, "already at " + target, now));
                    } else {
                        // Back to what it runs now, healthy: its last healthy version (validated when asked for).
                        String previous = state.desiredVersion();
                        targets.set(i, t.started(previous, now));
                        changes.add(new SetVersion(t.cluster(), target, "rollout wave " + t.wave()));
                    }
                }
            }
            if (targets.stream().allMatch(t -> t.phase().settled())) {
                phase = RolloutPhase.SUCCEEDED;
                message = count(targets, TargetPhase.SUCCEEDED) + " succeeded, " + count(targets, TargetPhase.SKIPPED)
                        + " skipped, " + count(targets, TargetPhase.FAILED) + " failed";
            } else if (wave.isPresent()) {
                message = "wave " + wave.get() + " of " + lastWave(targets);
            }
        }
        return new Step(phase, message, targets, changes);
    }

    private static RolloutTarget judge(
            RolloutTarget t, ClusterState state, String target, RolloutSettings settings, Instant now) {
        if (t.phase() != TargetPhase.UPDATING
                && t.phase() != TargetPhase.SOAKING
                && t.phase() != TargetPhase.SUCCEEDED) {
            return t;
        }
        if (state == null) {
            return t.with(TargetPhase.FAILED, "the addon was removed from the cluster during the rollout", now);
        }
        InstallationStatus status = state.status();
        boolean healthy = state.healthyAt(target);
        // Verdicts come only from a report about the current generation: an older pass finishing late says nothing.
        boolean current = state.current();
        switch (t.phase()) {
            case UPDATING -> {
                if (healthy) {
                    return settings.soak().isZero()
                            ? t.soaking(now).with(TargetPhase.SUCCEEDED, "healthy", now)
                            : t.soaking(now);
                }
                if (current && target.equals(status.appliedVersion()) && status.is(Condition.DEGRADED)) {
                    return t.with(TargetPhase.FAILED, "degraded at " + target + ": " + reason(status), now);
                }
                if (current && !target.equals(status.appliedVersion()) && status.is(Condition.DEGRADED)) {
                    return t.with(TargetPhase.FAILED, target + " could not be applied: " + reason(status), now);
                }
                if (Duration.between(t.startedAt(), now).compareTo(settings.progressDeadline()) >= 0) {
                    return t.with(
                            TargetPhase.FAILED,
                            "not healthy within " + settings.progressDeadline().toSeconds() + " s: " + reason(status),
                            now);
                }
                return t;
            }
            case SOAKING -> {
                if (!current || state.unseen()) {
                    return t; // not seen this time (an API blip): neither healthy nor failed
                }
                if (!healthy) {
                    return t.with(TargetPhase.FAILED, "turned unhealthy while soaking: " + reason(status), now);
                }
                if (Duration.between(t.healthyAt(), now).compareTo(settings.soak()) >= 0) {
                    return t.with(
                            TargetPhase.SUCCEEDED,
                            "healthy for " + settings.soak().toSeconds() + " s",
                            now);
                }
                return t;
            }
            default -> {
                // SUCCEEDED: still watched until the rollout ends; a cluster not seen is not a failed one.
                if (!healthy
                        && current
                        && !state.unseen()
                        && status.lastReconciledAt() != null
                        && status.lastReconciledAt().isAfter(t.finishedAt())) {
                    return t.with(TargetPhase.FAILED, "turned unhealthy after its wave: " + reason(status), now);
                }
                return t;
            }
        }
    }

    private static Step rollBack(
            List<RolloutTarget> targets,
            Map<String, ClusterState> clusters,
            String message,
            List<SetVersion> changes,
            Instant now,
            Duration deadline) {
        boolean done = true;
        for (int i = 0; i < targets.size(); i++) {
            RolloutTarget t = targets.get(i);
            if (t.phase().changed()) {
                t = new RolloutTarget(
                        t.cluster(),
                        t.position(),
                        t.wave(),
                        TargetPhase.ROLLING_BACK,
                        t.previousVersion(),
                        t.startedAt(),
                        t.healthyAt(),
                        // While rolling back, finishedAt holds when this cluster's rollback began (its deadline).
                        now,
                        "going back to " + t.previousVersion()
                                + (t.message().isEmpty() ? "" : " (" + t.message() + ")"));
                targets.set(i, t);
            }
            if (t.phase() != TargetPhase.ROLLING_BACK) {
                continue;
            }
            ClusterState state = clusters.get(t.cluster());
            if (state == null || t.previousVersion() == null) {
                targets.set(i, t.with(TargetPhase.ROLLED_BACK, "nothing to go back to", now));
                continue;
            }
            if (!t.previousVersion().equals(state.desiredVersion())) {
                changes.add(new SetVersion(t.cluster(), t.previousVersion(), "rollback"));
                done = false;
            } else if (!state.healthyAt(t.previousVersion())
                    && t.finishedAt() != null
                    && Duration.between(t.finishedAt(), now).compareTo(deadline) >= 0) {
                // Settled all the same, so that the rollout ends and frees the addon; the status says what is wrong.
                targets.set(
                        i,
                        t.with(
                                TargetPhase.ROLLED_BACK,
                                "set back to " + t.previousVersion() + " but not healthy within " + deadline.toSeconds()
                                        + " s: " + reason(state.status()),
                                now));
            } else if (state.healthyAt(t.previousVersion())) {
                // Keep why it went back: the failure of this cluster, or of the one that spent the budget.
                String going = "going back to " + t.previousVersion();
                String why = t.message().startsWith(going) ? t.message().substring(going.length()) : "";
                targets.set(
                        i, t.with(TargetPhase.ROLLED_BACK, "back at " + t.previousVersion() + ", healthy" + why, now));
            } else {
                done = false;
            }
        }
        RolloutPhase phase = done ? RolloutPhase.ROLLED_BACK : RolloutPhase.ROLLING_BACK;
        return new Step(phase, message, targets, changes);
    }

    /** The lowest wave with a pending target, once every earlier wave has settled. */
    private static Optional<Integer> nextWave(List<RolloutTarget> targets) {
        int lowestOpen = Integer.MAX_VALUE;
        for (RolloutTarget t : targets) {
            if (!t.phase().settled()) {
                lowestOpen = Math.min(lowestOpen, t.wave());
            }
        }
        if (lowestOpen == Integer.MAX_VALUE) {
            return Optional.empty();
        }
        int wave = lowestOpen;
        boolean pending = targets.stream().anyMatch(t -> t.wave() == wave && t.phase() == TargetPhase.PENDING);
        return pending ? Optional.of(wave) : Optional.empty();
    }

    private static int lastWave(List<RolloutTarget> targets) {
        return targets.stream().mapToInt(RolloutTarget::wave).max().orElse(0);
    }

    private static long count(List<RolloutTarget> targets, TargetPhase phase) {
        return targets.stream().filter(t -> t.phase() == phase).count();
    }

    private static String firstFailure(List<RolloutTarget> targets) {
        return targets.stream()
                .filter(t -> t.phase() == TargetPhase.FAILED)
                .findFirst()
                .map(t -> t.cluster() + ": " + t.message())
                .orElse("");
    }

    private static String reason(InstallationStatus status) {
        return status.condition(Condition.HEALTHY)
                .filter(c -> !c.isTrue())
                .or(() -> status.condition(Condition.APPLIED).filter(c -> !c.isTrue()))
                .map(c -> c.reason() + (c.message().isEmpty() ? "" : ": " + c.message()))
                .orElse("no report yet");
    }
}
