package dev.kubeyard.health.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one check said about one cluster: its status, a reason word (CamelCase, from {@link Reasons}), a sentence
 * with the numbers, the figures it measured (for the API and the next run: counters are compared between runs), and
 * its findings.
 */
public record CheckResult(
        CheckId check,
        CheckStatus status,
        String reason,
        String message,
        Map<String, Object> figures,
        List<Finding> findings,
        long millis) {

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        figures = figures == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    public static CheckResult unknown(CheckId check, String reason, String message) {
        return new CheckResult(check, CheckStatus.UNKNOWN, reason, message, Map.of(), List.of(), 0);
    }
}
