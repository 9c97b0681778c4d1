package dev.kubeyard.bench;

import dev.kubeyard.health.alert.AlertAction;
import dev.kubeyard.health.alert.AlertPlanner;
import dev.kubeyard.health.alert.AlertRule;
import dev.kubeyard.health.alert.AlertRules;
import dev.kubeyard.health.alert.OpenAlert;
import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckResult;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.HealthChecks;
import dev.kubeyard.health.check.HealthTracker;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.Thresholds;
import dev.kubeyard.health.check.TrackedCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recording step of cluster-health's sweep ({@code HealthService.record} and the sweep's queries around the
 * fan-out) without Quarkus: the real pure steps ({@link HealthChecks}, {@link HealthTracker}, {@link AlertPlanner} with
 * the default rules and thresholds) between the reads and writes of a store, either PostgreSQL with
 * {@code HealthStore}'s SQL ({@link PostgresHealthRecorder}) or memory ({@link InMemoryHealthRecorder}).
 */
interface HealthRecorder extends AutoCloseable {

    /** {@code HealthService}'s retention of cleared findings. */
    Duration CLEARED_RETENTION = Duration.ofHours(1);

    /** {@code HealthStore.advancedTimes}: read once per sweep, before the fan-out. */
    Map<String, Instant> advancedTimes();

    /** {@code HealthService.record}: one cluster's observation judged and stored, in one transaction. */
    Recorded record(ClusterFacts facts, Observation observation, long probeMillis);

    /**
     * What the sweep does after the fan-out: forget clusters gone from the inventory, purge old history, read the
     * statuses and the firing counts for the gauges ({@code HealthService.sweep}).
     */
    void afterSweep(Set<String> live, Instant now);

    /** Firing alerts by rule. */
    Map<String, Long> firingByRule();

    /** Statements (or in-memory operations) by kind, since the start. */
    Map<String, Long> calls();

    String describe();

    @Override
    void close();

    /**
     * What recording one cluster gave.
     *
     * @param apiReachable the status of the check {@code api-reachable}, and its reason
     * @param connectionWaitNanos time spent waiting for a database connection (0 in memory)
     */
    record Recorded(
            CheckStatus status,
            CheckStatus apiReachable,
            String apiReason,
            int transitions,
            int opened,
            int resolved,
            long connectionWaitNanos,
            List<String> notPassing) {

        Recorded withWait(long nanos) {
            return new Recorded(status, apiReachable, apiReason, transitions, opened, resolved, nanos, notPassing);
        }
    }

    /** The pure part of {@code HealthService.record}, as it runs there. */
    final class Steps {

        private Steps() {}

        static final List<AlertRule> RULES = AlertRules.defaults();
        static final Thresholds THRESHOLDS = Thresholds.defaults();

        /** The checks judged against the previous ones. */
        static HealthTracker.Tracked track(Observation observation, List<TrackedCheck> previous, Instant now) {
            Map<CheckId, Map<String, Object>> figures = new HashMap<>();
            previous.forEach(c -> figures.put(c.check(), c.figures()));
            List<CheckResult> results =
                    HealthChecks.evaluate(observation, new Observation.Previous(figures), THRESHOLDS);
            return HealthTracker.track(previous, results, now, CLEARED_RETENTION);
        }

        static List<AlertAction> plan(
                ClusterFacts facts, HealthTracker.Tracked tracked, List<OpenAlert> firing, Instant now) {
            return AlertPlanner.plan(
                    new AlertPlanner.Subject(facts.name(), facts.team()), tracked.checks(), RULES, firing, now);
        }
    }

    /** The checks that did not pass, as "check Status Reason", for the report. */
    static List<String> notPassing(List<TrackedCheck> checks) {
        return checks.stream()
                .filter(c -> c.status() != CheckStatus.PASS)
                .map(c -> c.check().wireName() + " " + c.status().wireName() + " " + c.reason())
                .toList();
    }

    /** The api-reachable check of a tracked list, for the report. */
    static TrackedCheck apiCheck(List<TrackedCheck> checks) {
        return checks.stream()
                .filter(c -> c.check() == CheckId.API_REACHABLE)
                .findFirst()
                .orElse(null);
    }
}
