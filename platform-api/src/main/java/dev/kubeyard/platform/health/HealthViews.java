package dev.kubeyard.platform.health;

import dev.kubeyard.health.alert.AlertRule;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.record.AlertRecord;
import dev.kubeyard.health.record.HealthStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the health and alert endpoints answer. */
public final class HealthViews {

    private HealthViews() {}

    /** The fleet at a glance: every visible cluster's health, worst first. */
    public record Fleet(Counts summary, List<ClusterRow> items) {}

    public record Counts(int fail, int unknown, int warn, int pass, int notChecked) {}

    public record ClusterRow(
            String cluster,
            String team,
            String phase,
            String status,
            Instant checkedAt,
            List<String> failing,
            List<String> warning,
            List<String> unknown,
            long firingAlerts) {}

    /** One cluster's checks. */
    public record ClusterHealth(
            String cluster,
            String team,
            String phase,
            String status,
            Instant checkedAt,
            Instant advancedAt,
            int probeMillis,
            List<Check> checks,
            List<Alert> firingAlerts) {}

    public record Check(
            String check,
            String description,
            boolean advanced,
            String status,
            String reason,
            String message,
            Instant since,
            Instant observedAt,
            long millis,
            Map<String, Object> figures,
            List<Finding> findings) {

        static Check of(TrackedCheck c) {
            return new Check(
                    c.check().wireName(),
                    c.check().description(),
                    c.check().advanced(),
                    c.status().wireName(),
                    c.reason(),
                    c.message(),
                    c.since(),
                    c.observedAt(),
                    c.millis(),
                    publicFigures(c.figures()),
                    c.findings().stream().map(Finding::of).toList());
        }

        /** The bucket counts kept for the next scrape are bookkeeping, not a figure anyone reads. */
        private static Map<String, Object> publicFigures(Map<String, Object> figures) {
            java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>(figures);
            out.remove("buckets");
            out.remove("requestsTotal");
            out.remove("errorsTotal");
            return out;
        }
    }

    public record Finding(
            String subject, String status, String reason, String message, Map<String, String> labels, Instant since) {
        static Finding of(TrackedCheck.TrackedFinding f) {
            return new Finding(f.subject(), f.status().wireName(), f.reason(), f.message(), f.labels(), f.since());
        }
    }

    public record HistoryPage(List<Transition> items, String next) {}

    public record Transition(
            long id, String check, String subject, String from, String to, String reason, String message, Instant at) {
        static Transition of(HealthStore.TransitionRow r) {
            return new Transition(
                    r.id(),
                    r.check(),
                    r.subject().isEmpty() ? null : r.subject(),
                    r.from(),
                    r.to(),
                    r.reason(),
                    r.message(),
                    r.at());
        }
    }

    public record Alert(
            long id,
            String rule,
            String severity,
            String state,
            String cluster,
            String team,
            String check,
            String subject,
            String summary,
            String description,
            Map<String, String> labels,
            Instant activeSince,
            Instant startedAt,
            Instant resolvedAt) {
        public static Alert of(AlertRecord a) {
            return new Alert(
                    a.getId(),
                    a.getRule(),
                    a.getSeverity().wireName(),
                    a.getState().wireName(),
                    a.getCluster(),
                    a.getTeam().orElse(null),
                    a.getCheck(),
                    a.getSubject().isEmpty() ? null : a.getSubject(),
                    a.getSummary(),
                    a.getDescription(),
                    a.getLabels(),
                    a.getActiveSince(),
                    a.getStartedAt(),
                    a.getResolvedAt().orElse(null));
        }
    }

    public record AlertPage(List<Alert> items, String next) {}

    public record Rule(
            String name,
            String severity,
            List<String> checks,
            String level,
            String from,
            long forSeconds,
            long keepFiringForSeconds,
            boolean enabled,
            String summary) {
        static Rule of(AlertRule r) {
            return new Rule(
                    r.name(),
                    r.severity().wireName(),
                    r.checks().stream().map(c -> c.wireName()).sorted().toList(),
                    r.perFinding()
                            ? "finding" + (r.subjectPrefix().isEmpty() ? "" : " " + r.subjectPrefix() + "*")
                            : "check",
                    r.from().wireName(),
                    r.forDuration().toSeconds(),
                    r.keepFiringFor().toSeconds(),
                    r.enabled(),
                    r.summary());
        }
    }
}
