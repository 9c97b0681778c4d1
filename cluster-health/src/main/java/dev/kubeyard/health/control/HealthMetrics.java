package dev.kubeyard.health.control;

import dev.kubeyard.health.check.CheckResult;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.Transition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Health as Micrometer metrics (README "Metrics"): each cluster's status (0 Pass, 1 Warn, 2 Unknown, 3 Fail), the
 * clusters per status, each check's duration, transitions, sweeps and their duration, and firing alerts by rule and
 * severity. The cluster tag is bounded by the inventory; no tag names a node.
 */
@ApplicationScoped
public class HealthMetrics {

    @Inject
    MeterRegistry registry;

    /** A few fixed buckets per check (not Micrometer's 70-odd percentile buckets): 12 checks, 9 series each. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final Map<String, Gauge> clusterGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> clusterStatus = new ConcurrentHashMap<>();
    private final Map<CheckStatus, AtomicLong> perStatus = new EnumMap<>(CheckStatus.class);
    private final Map<List<String>, AtomicLong> firing = new ConcurrentHashMap<>();

    synchronized AtomicLong perStatus(CheckStatus status) {
        return perStatus.computeIfAbsent(
                status,
                s -> registry.gauge(
                        "kubeyard.health.clusters",
                        Tags.of("status", s.wireName().toLowerCase(Locale.ROOT)),
                        new AtomicLong()));
    }

    public void recorded(String cluster, CheckStatus status, List<CheckResult> results, List<Transition> transitions) {
        clusterStatus
                .computeIfAbsent(cluster, c -> {
                    AtomicLong value = new AtomicLong();
                    clusterGauges.put(
                            c,
                            Gauge.builder("kubeyard.health.cluster.status", value, AtomicLong::doubleValue)
                                    .description("0 Pass, 1 Warn, 2 Unknown, 3 Fail")
                                    .tags("cluster", c)
                                    .register(registry));
                    return value;
                })
                .set(status.rank());
        for (CheckResult r : results) {
            Timer.builder("kubeyard.health.check.duration")
                    .tags("check", r.check().wireName())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)
                    .record(Duration.ofMillis(r.millis()));
        }
        for (Transition t : transitions) {
            registry.counter(
                            "kubeyard.health.check.transitions",
                            "check",
                            t.check().wireName(),
                            "to",
                            t.to().wireName().toLowerCase(Locale.ROOT))
                    .increment();
        }
    }

    /** After a sweep: the clusters per status (all of them, from the database), the clusters gone, the firing alerts. */
    public void swept(
            Map<String, CheckStatus> statuses, Set<String> gone, Map<List<String>, Long> firingCounts, Duration took) {
        for (String cluster : gone) {
            clusterStatus.remove(cluster);
            Gauge gauge = clusterGauges.remove(cluster);
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
        Map<CheckStatus, Long> counts = new EnumMap<>(CheckStatus.class);
        statuses.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        for (CheckStatus s : CheckStatus.values()) {
            perStatus(s).set(counts.getOrDefault(s, 0L));
        }
        for (Map.Entry<List<String>, AtomicLong> e : firing.entrySet()) {
            e.getValue().set(firingCounts.getOrDefault(e.getKey(), 0L));
        }
        for (Map.Entry<List<String>, Long> e : firingCounts.entrySet()) {
            firing.computeIfAbsent(
                            e.getKey(),
                            k -> registry.gauge(
                                    "kubeyard.health.alerts.firing",
                                    Tags.of("rule", k.get(0), "severity", k.get(1)),
                                    new AtomicLong()))
                    .set(e.getValue());
        }
        Timer.builder("kubeyard.health.sweep.duration").register(registry).record(took);
    }

    public void sweepFailed() {
        registry.counter("kubeyard.health.sweeps.failed").increment();
    }
}
