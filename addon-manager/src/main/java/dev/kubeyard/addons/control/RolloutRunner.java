package dev.kubeyard.addons.control;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Steps the active rollouts: a Quartz job in the clustered store, so that with several replicas one of them steps at a
 * time. {@code kubeyard.addons.enabled=false} skips it.
 */
@ApplicationScoped
public class RolloutRunner {

    @Inject
    RolloutService rollouts;

    @Scheduled(
            identity = "addon-rollouts",
            every = "${kubeyard.addons.rollout-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void run() {
        rollouts.stepAll();
    }

    /** Skips the runner while {@code kubeyard.addons.enabled} is false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !ConfigProvider.getConfig()
                    .getOptionalValue("kubeyard.addons.enabled", Boolean.class)
                    .orElse(true);
        }
    }
}
