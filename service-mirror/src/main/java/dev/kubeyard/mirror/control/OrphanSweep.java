package dev.kubeyard.mirror.control;

import dev.kubeyard.mirror.record.MirrorStore;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The orphan sweep: a clustered Quartz job (one replica at a time) that asks every set's lease holder to relist its
 * clusters and pass the set, which removes followers and slices a missed event left behind.
 */
@Singleton
public class OrphanSweep {

    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "mirror-orphan-sweep",
            every = "${kubeyard.mirror.sweep-interval}",
            delayed = "${kubeyard.mirror.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void sweep() {
        try {
            int sets = new MirrorStore(dataSource).requestSweep(clock.instant());
            LOG.debugf("Mirror orphan sweep asked for %d sets", sets);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Mirror orphan sweep could not ask for the sets' relists; the next one tries again");
        }
    }

    /** Skips the sweep while {@code kubeyard.mirror.enabled} is false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !ConfigProvider.getConfig()
                    .getOptionalValue("kubeyard.mirror.enabled", Boolean.class)
                    .orElse(true);
        }
    }
}
