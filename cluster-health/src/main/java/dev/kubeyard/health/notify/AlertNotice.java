package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.record.AlertRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a notification says about an alert, read from its record at the moment of sending (so a notification carries
 * the alert's current words, not those it had when it was queued). A value: the payloads are pure functions of it.
 */
record AlertNotice(
        long id,
        String rule,
        Severity severity,
        String cluster,
        Optional<String> team,
        String check,
        String subject,
        boolean firing,
        String summary,
        String description,
        Map<String, String> labels,
        Instant startedAt,
        Optional<Instant> resolvedAt) {

    AlertNotice {
        team = team.filter(t -> !t.isBlank());
        subject = subject == null ? "" : subject;
        labels = Map.copyOf(labels);
    }

    static AlertNotice of(AlertRecord alert) {
        return new AlertNotice(
                alert.getId(),
                alert.getRule(),
                alert.getSeverity(),
                alert.getCluster(),
                alert.getTeam(),
                alert.getCheck(),
                alert.getSubject(),
                alert.isFiring(),
                alert.getSummary(),
                alert.getDescription(),
                alert.getLabels(),
                alert.getStartedAt(),
                alert.getResolvedAt());
    }
}
