package dev.kubeyard.health.alert;

import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * An alert rule: which checks it watches, at what level (the whole check, or each finding of a subject kind), from
 * which status on, how long the condition must hold before the alert opens ({@code forDuration}), and how long it
 * must have stopped holding before the alert resolves ({@code keepFiringFor}): one failed check never opens an alert
 * whose duration is longer than the sweep interval, and one good probe never resolves one.
 *
 * @param subjectPrefix for a per-finding rule, the findings it judges ({@code node/}, {@code machine/}, ...; empty:
 *     all); ignored for a per-check rule
 */
public record AlertRule(
        String name,
        Severity severity,
        Set<CheckId> checks,
        boolean perFinding,
        String subjectPrefix,
        CheckStatus from,
        Duration forDuration,
        Duration keepFiringFor,
        boolean enabled,
        String summary) {

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        checks = Set.copyOf(checks);
        subjectPrefix = subjectPrefix == null ? "" : subjectPrefix;
        if (from != CheckStatus.WARN && from != CheckStatus.FAIL) {
            throw new IllegalArgumentException("a rule fires from Warn or Fail, not " + from);
        }
        if (forDuration.isNegative() || keepFiringFor.isNegative()) {
            throw new IllegalArgumentException("rule " + name + ": durations must not be negative");
        }
    }

    /** Whether a status meets the rule (Unknown never does). */
    public boolean holds(CheckStatus status) {
        return status == CheckStatus.FAIL || (from == CheckStatus.WARN && status == CheckStatus.WARN);
    }

    public AlertRule with(Duration newFor, Duration newKeep, Severity newSeverity, boolean newEnabled) {
        return new AlertRule(
                name, newSeverity, checks, perFinding, subjectPrefix, from, newFor, newKeep, newEnabled, summary);
    }
}
