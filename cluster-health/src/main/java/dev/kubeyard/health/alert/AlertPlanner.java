package dev.kubeyard.health.alert;

import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.check.TrackedCheck.TrackedFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which alerts of one cluster open, stay or resolve, from the tracked checks (each with the time its status
 * last changed), the rules and the cluster's firing alerts. Pure: the same inputs always give the same actions.
 *
 * <ul>
 *   <li>An alert opens when its rule's condition holds and has held for the rule's duration (measured from the
 *       check's or finding's {@code since}, kept in PostgreSQL, so a restart loses no time).
 *   <li>It resolves when the condition has not held for the rule's keep-firing time while the check ran: a check
 *       that could not run (Unknown) neither opens nor resolves anything.
 *   <li>One alert per fingerprint (rule, cluster, subject): deduplicated here and by a unique index.
 *   <li>A firing alert of a rule now off is resolved.
 * </ul>
 */
public final class AlertPlanner {

    private AlertPlanner() {}

    /** The cluster an alert is about, for its labels. */
    public record Subject(String cluster, String team) {}

    public static List<AlertAction> plan(
            Subject cluster, List<TrackedCheck> checks, List<AlertRule> rules, List<OpenAlert> open, Instant now) {
        Map<String, OpenAlert> firing = new LinkedHashMap<>();
        open.forEach(a -> firing.put(a.fingerprint(), a));
        Map<String, AlertRule> ruleByName = new HashMap<>();
        rules.forEach(r -> ruleByName.put(r.name(), r));
        List<AlertAction> actions = new ArrayList<>();
        Map<String, Candidate> seen = new LinkedHashMap<>();

        for (AlertRule rule : rules) {
            if (!rule.enabled()) {
                continue;
            }
            for (TrackedCheck check : checks) {
                if (!rule.checks().contains(check.check())) {
                    continue;
                }
                for (Candidate c : candidates(cluster, rule, check)) {
                    seen.put(c.fingerprint, c);
                    OpenAlert alert = firing.get(c.fingerprint);
                    if (c.holds) {
                        if (alert == null) {
                            if (!Duration.between(c.since, now)
                                    .minus(rule.forDuration())
                                    .isNegative()) {
                                actions.add(new AlertAction.Open(
                                        c.fingerprint,
                                        rule,
                                        check.check(),
                                        c.subject,
                                        c.since,
                                        rule.summary() + " (" + cluster.cluster() + ")",
                                        c.message,
                                        labels(cluster, rule, check, c)));
                            }
                        } else if (!alert.description().equals(c.message)) {
                            actions.add(new AlertAction.Describe(alert.id(), alert.summary(), c.message));
                        }
                    } else if (alert != null
                            && c.ran
                            && !Duration.between(c.since, now)
                                    .minus(rule.keepFiringFor())
                                    .isNegative()) {
                        actions.add(new AlertAction.Resolve(
                                alert.id(),
                                "no longer seen for "
                                        + Duration.between(c.since, now).toSeconds() + " s (" + c.message + ")"));
                    }
                }
            }
        }
        // firing alerts nothing speaks of any more: their rule is off or gone, or the finding aged out while cleared
        for (OpenAlert alert : firing.values()) {
            if (seen.containsKey(alert.fingerprint())) {
                continue;
            }
            AlertRule rule = ruleByName.get(alert.rule());
            boolean checkUnknown = rule != null
                    && rule.enabled()
                    && checks.stream()
                            .anyMatch(c -> rule.checks().contains(c.check()) && c.status() == CheckStatus.UNKNOWN);
            if (rule == null || !rule.enabled()) {
                actions.add(new AlertAction.Resolve(alert.id(), "the rule " + alert.rule() + " is turned off"));
            } else if (!checkUnknown) {
                actions.add(new AlertAction.Resolve(alert.id(), "its condition is no longer reported"));
            }
        }
        return actions;
    }

    /** Resolves every firing alert of a cluster that went away. */
    public static List<AlertAction> clusterGone(List<OpenAlert> open) {
        return open.stream()
                .<AlertAction>map(a -> new AlertAction.Resolve(a.id(), "the cluster no longer exists"))
                .toList();
    }

    public static String fingerprint(String rule, String cluster, String subject) {
        return rule + "/" + cluster + (subject.isEmpty() ? "" : "/" + subject);
    }

    private record Candidate(
            String fingerprint,
            String subject,
            boolean holds,
            boolean ran,
            Instant since,
            String message,
            Map<String, String> labels) {}

    private static List<Candidate> candidates(Subject cluster, AlertRule rule, TrackedCheck check) {
        boolean ran = check.status() != CheckStatus.UNKNOWN;
        if (!rule.perFinding()) {
            return List.of(new Candidate(
                    fingerprint(rule.name(), cluster.cluster(), ""),
                    "",
                    rule.holds(check.status()),
                    ran,
                    check.since(),
                    check.message(),
                    Map.of()));
        }
        List<Candidate> out = new ArrayList<>();
        for (TrackedFinding f : check.findings()) {
            if (!f.subject().startsWith(rule.subjectPrefix())) {
                continue;
            }
            out.add(new Candidate(
                    fingerprint(rule.name(), cluster.cluster(), f.subject()),
                    f.subject(),
                    ran && rule.holds(f.status()),
                    ran,
                    f.since(),
                    f.message(),
                    f.labels()));
        }
        return out;
    }

    private static Map<String, String> labels(Subject cluster, AlertRule rule, TrackedCheck check, Candidate c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", rule.name());
        labels.put("cluster", cluster.cluster());
        labels.put("severity", rule.severity().wireName());
        labels.put("check", check.check().wireName());
        if (!c.subject.isEmpty()) {
            labels.put("subject", c.subject);
        }
        Optional.ofNullable(cluster.team()).ifPresent(t -> labels.put("team", t));
        c.labels.forEach(labels::putIfAbsent);
        return labels;
    }
}
