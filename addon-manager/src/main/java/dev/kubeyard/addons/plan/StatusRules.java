package dev.kubeyard.addons.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The next status of an installation from its last one and what a pass came to. Pure.
 *
 * <ul>
 *   <li><b>Applied</b>: the version's objects are in the cluster as rendered (False with the reason when values,
 *       Kubernetes version, rendering, applying or the cluster stood in the way).
 *   <li><b>Healthy</b>: every health check passes (Unknown while the cluster cannot be reached).
 *   <li><b>Progressing</b>: applied, waiting for workloads, within the progress deadline.
 *   <li><b>Degraded</b>: a check has failed for longer than the progress deadline, or the pass failed.
 * </ul>
 */
public final class StatusRules {

    private StatusRules() {}

    public static InstallationStatus next(
            InstallationStatus previous, Pass pass, Instant now, Duration progressDeadline) {
        List<Condition> conditions = new ArrayList<>();
        List<String> actions = pass.actions().isEmpty() ? previous.lastActions() : pass.actions();
        long drift = previous.driftRepairs() + pass.drift();
        if (pass.outcome() != Pass.Outcome.APPLIED) {
            boolean unreachable = pass.outcome() == Pass.Outcome.UNREACHABLE;
            conditions.add(condition(
                    previous, Condition.APPLIED, "False", pass.outcome().reason(), pass.message(), now));
            if (unreachable) {
                conditions.add(condition(
                        previous, Condition.HEALTHY, "Unknown", pass.outcome().reason(), pass.message(), now));
                conditions.add(condition(
                        previous,
                        Condition.PROGRESSING,
                        "Unknown",
                        pass.outcome().reason(),
                        pass.message(),
                        now));
                conditions.add(condition(
                        previous, Condition.DEGRADED, "Unknown", pass.outcome().reason(), pass.message(), now));
            } else {
                previous.condition(Condition.HEALTHY)
                        .ifPresentOrElse(
                                conditions::add,
                                () -> conditions.add(condition(
                                        previous,
                                        Condition.HEALTHY,
                                        "Unknown",
                                        "NotApplied",
                                        "nothing was applied yet",
                                        now)));
                conditions.add(condition(
                        previous, Condition.PROGRESSING, "False", pass.outcome().reason(), pass.message(), now));
                conditions.add(condition(
                        previous, Condition.DEGRADED, "True", pass.outcome().reason(), pass.message(), now));
            }
            return new InstallationStatus(
                    pass.generation(),
                    previous.appliedVersion(),
                    previous.appliedDigest(),
                    previous.appliedAt(),
                    previous.lastHealthyVersion(),
                    unreachable ? previous.healthySince() : previous.healthySince(),
                    previous.unhealthySince(),
                    conditions,
                    pass.objects().isEmpty() ? previous.objects() : pass.objects(),
                    drift,
                    now,
                    actions);
        }
        boolean sameDigest = Objects.equals(previous.appliedDigest(), pass.digest());
        Instant appliedAt = sameDigest && previous.appliedAt() != null ? previous.appliedAt() : now;
        boolean healthy = pass.healthy();
        Instant healthySince =
                healthy ? (sameDigest && previous.healthySince() != null ? previous.healthySince() : now) : null;
        Instant unhealthySince =
                healthy ? null : (sameDigest && previous.unhealthySince() != null ? previous.unhealthySince() : now);
        boolean stuck = !healthy
                && !Duration.between(unhealthySince, now)
                        .minus(progressDeadline)
                        .isNegative();
        String notReady = pass.health().stream()
                .filter(h -> !h.ready())
                .map(WorkloadHealth.Result::message)
                .collect(Collectors.joining("; "));
        conditions.add(condition(previous, Condition.APPLIED, "True", "Applied", appliedMessage(pass), now));
        conditions.add(
                healthy
                        ? condition(previous, Condition.HEALTHY, "True", "WorkloadsReady", readyMessage(pass), now)
                        : condition(previous, Condition.HEALTHY, "False", "WorkloadsNotReady", notReady, now));
        if (healthy) {
            conditions.add(condition(
                    previous, Condition.PROGRESSING, "False", "Complete", pass.version() + " is rolled out", now));
        } else if (stuck) {
            conditions.add(condition(
                    previous,
                    Condition.PROGRESSING,
                    "False",
                    "ProgressDeadlineExceeded",
                    "not ready for " + progressDeadline.toSeconds() + " s: " + notReady,
                    now));
        } else {
            conditions.add(condition(
                    previous,
                    Condition.PROGRESSING,
                    "True",
                    sameDigest ? "WaitingForWorkloads" : "RollingOut",
                    notReady,
                    now));
        }
        conditions.add(
                stuck
                        ? condition(previous, Condition.DEGRADED, "True", "WorkloadsNotReady", notReady, now)
                        : condition(previous, Condition.DEGRADED, "False", "AsExpected", "", now));
        return new InstallationStatus(
                pass.generation(),
                pass.version(),
                pass.digest(),
                appliedAt,
                healthy ? pass.version() : previous.lastHealthyVersion(),
                healthySince,
                unhealthySince,
                conditions,
                pass.objects(),
                drift,
                now,
                actions);
    }

    private static String appliedMessage(Pass pass) {
        if (pass.actions().isEmpty()) {
            return pass.objects().size() + " objects of " + pass.version() + " in sync";
        }
        return pass.objects().size() + " objects of " + pass.version() + "; " + String.join("; ", pass.actions());
    }

    private static String readyMessage(Pass pass) {
        if (pass.health().isEmpty()) {
            return "no health checks";
        }
        return pass.health().stream()
                        .map(h -> h.check().kind().kind() + " " + h.namespace() + "/"
                                + h.check().name())
                        .collect(Collectors.joining(", "))
                + " ready";
    }

    /** The condition, keeping its transition time when its status did not change. */
    private static Condition condition(
            InstallationStatus previous, String type, String status, String reason, String message, Instant now) {
        Instant since = previous.condition(type)
                .filter(c -> c.status().equals(status))
                .map(Condition::lastTransitionTime)
                .orElse(now);
        return new Condition(type, status, reason, message == null ? "" : message, since);
    }
}
