package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.HealingAction.HoldBack;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Healing as Micrometer metrics (README: "Metrics"): unhealthy nodes per cluster, replacements, held-back
 * remediations, alerts, and per pool the time to detect a failure, from failure to replacement request, and from
 * request until the pool is healthy again.
 */
@ApplicationScoped
public class HealingMetrics implements HealingListener {

    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicInteger> unhealthy = new ConcurrentHashMap<>();

    @Override
    public void evaluated(ClusterTarget target, ObservedCluster observed, HealingPlan plan) {
        if (plan.evaluation().observed()) {
            unhealthy
                    .computeIfAbsent(
                            target.name(),
                            c -> registry.gauge(
                                    "kubeyard.healing.unhealthy.nodes", Tags.of("cluster", c), new AtomicInteger()))
                    .set(plan.evaluation().unhealthy());
        }
        registry.counter(
                        "kubeyard.healing.evaluations",
                        "verdict",
                        plan.clusterDecision().verdict().name().toLowerCase(java.util.Locale.ROOT))
                .increment();
        for (HoldBack hold : plan.holdBacks()) {
            registry.counter(
                            "kubeyard.healing.held.back",
                            Tags.of(
                                    "cluster",
                                    target.name(),
                                    "rule",
                                    hold.rule().guard(),
                                    "reason",
                                    hold.reason()))
                    .increment();
        }
        if (!plan.dryRunReplacements().isEmpty()) {
            registry.counter("kubeyard.healing.dry.run.replacements", "cluster", target.name())
                    .increment(plan.dryRunReplacements().size());
        }
    }

    @Override
    public void replacementRequested(
            ClusterTarget target, ReplaceNode replacement, Optional<Duration> detectedAfter, Duration requestedAfter) {
        Tags pool = Tags.of("cluster", replacement.cluster(), "pool", replacement.pool());
        registry.counter(
                        "kubeyard.healing.replacements",
                        pool.and("reason", replacement.reason(), "result", "requested"))
                .increment();
        detectedAfter.ifPresent(
                d -> registry.timer("kubeyard.healing.time.to.detect", pool).record(d));
        registry.timer("kubeyard.healing.time.to.request", pool).record(requestedAfter);
    }

    @Override
    public void replacementFailed(ClusterTarget target, ReplaceNode replacement, String failure) {
        registry.counter(
                        "kubeyard.healing.replacements",
                        Tags.of(
                                "cluster",
                                replacement.cluster(),
                                "pool",
                                replacement.pool(),
                                "reason",
                                replacement.reason(),
                                "result",
                                "refused"))
                .increment();
    }

    @Override
    public void settled(String cluster, Settlement settlement, Duration took) {
        Tags pool = Tags.of("cluster", cluster, "pool", settlement.pool());
        registry.counter(
                        "kubeyard.healing.replacements.settled",
                        pool.and("outcome", settlement.outcome().name().toLowerCase(java.util.Locale.ROOT)))
                .increment();
        if (settlement.succeeded()) {
            registry.timer("kubeyard.healing.time.to.ready", pool).record(took);
        }
    }

    @Override
    public void alert(RaiseAlert alert) {
        registry.counter("kubeyard.healing.alerts", "cluster", alert.cluster(), "reason", alert.reason())
                .increment();
    }

    @Override
    public void claimLost(ReplaceNode replacement) {
        registry.counter("kubeyard.healing.claims.lost", "cluster", replacement.cluster())
                .increment();
    }
}
