package dev.kubeyard.health.check;

import dev.kubeyard.health.check.TrackedCheck.TrackedFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a probe's results into what was known of the cluster: each check and finding keeps the time its status last
 * changed, and every change is a {@link Transition}. A check that could not run keeps its findings as they were (an
 * outage of the API hides nothing and clears nothing); a finding that went away while its check ran is Cleared (Pass)
 * and kept for {@code clearedRetention}, so that an alert can wait for it to stay cleared. Checks the probe did not
 * run (the advanced ones between their runs) are carried over untouched.
 */
public final class HealthTracker {

    private HealthTracker() {}

    public record Tracked(List<TrackedCheck> checks, List<Transition> transitions, CheckStatus status) {}

    public static Tracked track(
            List<TrackedCheck> previous, List<CheckResult> results, Instant now, Duration clearedRetention) {
        Map<CheckId, TrackedCheck> before = new LinkedHashMap<>();
        previous.forEach(c -> before.put(c.check(), c));
        Map<CheckId, TrackedCheck> after = new LinkedHashMap<>();
        List<Transition> transitions = new ArrayList<>();
        for (CheckId id : CheckId.values()) {
            CheckResult result =
                    results.stream().filter(r -> r.check() == id).findFirst().orElse(null);
            TrackedCheck was = before.get(id);
            if (result == null) {
                if (was != null) {
                    after.put(id, was);
                }
                continue;
            }
            boolean same = was != null && was.status() == result.status();
            if (!same) {
                transitions.add(new Transition(
                        id,
                        "",
                        was == null ? null : was.status(),
                        result.status(),
                        result.reason(),
                        result.message(),
                        now));
            }
            List<TrackedFinding> findings = result.status() == CheckStatus.UNKNOWN && was != null
                    ? was.findings()
                    : findings(
                            id,
                            was == null ? List.of() : was.findings(),
                            result.findings(),
                            now,
                            clearedRetention,
                            transitions);
            after.put(
                    id,
                    new TrackedCheck(
                            id,
                            result.status(),
                            result.reason(),
                            result.message(),
                            result.figures(),
                            findings,
                            same ? was.since() : now,
                            now,
                            result.millis()));
        }
        List<TrackedCheck> checks = List.copyOf(after.values());
        return new Tracked(checks, transitions, overall(checks));
    }

    private static List<TrackedFinding> findings(
            CheckId id,
            List<TrackedFinding> before,
            List<Finding> now,
            Instant at,
            Duration clearedRetention,
            List<Transition> transitions) {
        Map<String, TrackedFinding> was = new LinkedHashMap<>();
        before.forEach(f -> was.put(f.subject(), f));
        Map<String, TrackedFinding> out = new LinkedHashMap<>();
        for (Finding f : now) {
            TrackedFinding prior = was.get(f.subject());
            boolean same = prior != null && prior.status() == f.status();
            if (!same) {
                transitions.add(new Transition(
                        id,
                        f.subject(),
                        prior == null ? null : prior.status(),
                        f.status(),
                        f.reason(),
                        f.message(),
                        at));
            }
            out.put(
                    f.subject(),
                    new TrackedFinding(
                            f.subject(), f.status(), f.reason(), f.message(), f.labels(), same ? prior.since() : at));
        }
        for (TrackedFinding prior : before) {
            if (out.containsKey(prior.subject())) {
                continue;
            }
            if (prior.status() != CheckStatus.PASS) {
                String message = "No longer found: " + prior.message();
                transitions.add(new Transition(
                        id, prior.subject(), prior.status(), CheckStatus.PASS, Reasons.CLEARED, message, at));
                out.put(
                        prior.subject(),
                        new TrackedFinding(
                                prior.subject(), CheckStatus.PASS, Reasons.CLEARED, message, prior.labels(), at));
            } else if (Duration.between(prior.since(), at).compareTo(clearedRetention) < 0) {
                out.put(prior.subject(), prior);
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * The cluster's status: the worst of its checks, except that an advanced check that could not run (no metrics
     * API, say) shows as Unknown on its own row without making the whole cluster Unknown.
     */
    public static CheckStatus overall(List<TrackedCheck> checks) {
        CheckStatus status = CheckStatus.PASS;
        for (TrackedCheck c : checks) {
            if (c.check().advanced() && c.status() == CheckStatus.UNKNOWN) {
                continue;
            }
            status = CheckStatus.worst(status, c.status());
        }
        return checks.isEmpty() ? CheckStatus.UNKNOWN : status;
    }
}
