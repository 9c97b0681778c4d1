package dev.kubeyard.health.check;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A check's latest result with the time its status last changed ({@code since}) and when it ran ({@code observedAt});
 * its findings likewise. Kept per cluster in PostgreSQL between sweeps: alert durations are measured from
 * {@code since}, so a restart loses no time.
 */
public record TrackedCheck(
        CheckId check,
        CheckStatus status,
        String reason,
        String message,
        Map<String, Object> figures,
        List<TrackedFinding> findings,
        Instant since,
        Instant observedAt,
        long millis) {

    public TrackedCheck {
        figures = figures == null ? Map.of() : figures;
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A finding with the time its status last changed. A finding that went away stays a while as Pass (Cleared). */
    public record TrackedFinding(
            String subject,
            CheckStatus status,
            String reason,
            String message,
            Map<String, String> labels,
            Instant since) {
        public TrackedFinding {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }
}
