package dev.kubeyard.health.alert;

import dev.kubeyard.health.check.CheckId;
import java.time.Instant;
import java.util.Map;

/** What the alert planner decided for one alert; each with its reason in words. */
public sealed interface AlertAction {

    /** The rule's condition has held for its duration and no alert of this fingerprint fires: open one. */
    record Open(
            String fingerprint,
            AlertRule rule,
            CheckId check,
            String subject,
            Instant activeSince,
            String summary,
            String description,
            Map<String, String> labels)
            implements AlertAction {}

    /** The condition has stopped holding for the rule's keep-firing time, or the rule or cluster is gone. */
    record Resolve(long alertId, String why) implements AlertAction {}

    /** Still firing, with new words (the numbers moved): updated, nobody notified again. */
    record Describe(long alertId, String summary, String description) implements AlertAction {}
}
