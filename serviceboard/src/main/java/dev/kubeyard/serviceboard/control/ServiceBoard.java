package dev.kubeyard.serviceboard.control;

import dev.kubeyard.inventory.kube.ClusterClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** The service board's collectors on this replica ({@link BoardCollectors}), started and stopped with it. */
@ApplicationScoped
public class ServiceBoard {

    private static final Logger LOG = Logger.getLogger(ServiceBoard.class);

    @Inject
    BoardConfig config;

    @Inject
    ClusterClients clients;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    private BoardCollectors collectors;

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("The service board's collectors are off on this replica (kubeyard.serviceboard.enabled=false)");
            return;
        }
        collectors = new BoardCollectors(
                BoardCollectors.Settings.of(config),
                clients,
                dataSource,
                clock,
                meters,
                "board-" + UUID.randomUUID().toString().substring(0, 8));
        collectors.start();
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (collectors != null) {
            collectors.close();
        }
    }

    /** The clusters this replica collects now. */
    public Set<String> collecting() {
        return collectors == null ? Set.of() : collectors.collecting();
    }

    /** Runs a tick of the collectors now (tests). */
    public void tickNow() {
        if (collectors != null) {
            collectors.tickNow();
        }
    }
}
