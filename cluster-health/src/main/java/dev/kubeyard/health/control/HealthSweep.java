package dev.kubeyard.health.control;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The health sweep: a clustered Quartz job, so that with N replicas one sweep runs at a time and a stopped
 * replica's sweeps move to another.
 */
@Singleton
public class HealthSweep {

    private static final Logger LOG = Logger.getLogger(HealthSweep.class);

    @Inject
    HealthService health;

    @Inject
    HealthMetrics metrics;

    @Scheduled(
            identity = "cluster-health",
            every = "${kubeyard.health.interval}",
            delayed = "${kubeyard.health.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void sweep() {
        try {
            HealthService.SweepOutcome outcome = health.sweep();
            LOG.debugf(
                    "Health sweep: %d clusters in %d ms, %d alerts opened, %d resolved, %d clusters failed",
                    outcome.clusters(),
                    outcome.took().toMillis(),
                    outcome.opened(),
                    outcome.resolved(),
                    outcome.failed());
        } catch (RuntimeException e) {
            metrics.sweepFailed();
            LOG.errorf(e, "Health sweep failed; the next one starts over");
        }
    }

    /** Skips the sweep while {@code kubeyard.health.enabled} is false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !ConfigProvider.getConfig()
                    .getOptionalValue("kubeyard.health.enabled", Boolean.class)
                    .orElse(true);
        }
    }
}
