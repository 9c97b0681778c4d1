package dev.kubeyard.health.check;

import java.util.Map;
import java.util.Objects;

/**
 * One thing a check found wrong, about one subject of the cluster ({@code node/<name>/<condition>},
 * {@code machine/<name>}, {@code component/<name>}, {@code readyz/<check>}, {@code condition/<type>},
 * {@code cluster}). Alerts per subject are opened from findings; {@code labels} go with them (an error class, a node).
 */
public record Finding(String subject, CheckStatus status, String reason, String message, Map<String, String> labels) {

    public Finding {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public Finding(String subject, CheckStatus status, String reason, String message) {
        this(subject, status, reason, message, Map.of());
    }
}
