package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.control.HealingCycle.SweepOutcome;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The periodic sweep: a Quartz job in the clustered JDBC store, so that with several replicas one of them sweeps at a
 * time (and the evaluation lease keeps an on-demand heal from overlapping it). {@code kubeyard.healing.enabled=false}
 * skips it.
 */
@ApplicationScoped
public class HealingSweep {

    private static final Logger LOG = Logger.getLogger(HealingSweep.class);

    @Inject
    HealingService healing;

    @Scheduled(
            identity = "node-healing",
            every = "${kubeyard.healing.interval}",
            delayed = "${kubeyard.healing.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void sweep() {
        try {
            SweepOutcome outcome = healing.sweep();
            LOG.debugf(
                    "Healing sweep: %d clusters in %d ms, %d replacements requested",
                    outcome.outcomes().size(), outcome.took().toMillis(), outcome.replacementsRequested());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Healing sweep failed; the next one starts over");
        }
    }

    /** Skips the sweep while {@code kubeyard.healing.enabled} is false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !ConfigProvider.getConfig()
                    .getOptionalValue("kubeyard.healing.enabled", Boolean.class)
                    .orElse(true);
        }
    }
}
