package dev.kubeyard.mirror.control;

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
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** The mirror on this replica ({@link SetMirrors}), started and stopped with it. */
@ApplicationScoped
public class ServiceMirror {

    private static final Logger LOG = Logger.getLogger(ServiceMirror.class);

    @Inject
    MirrorConfig config;

    @Inject
    ClusterClients clients;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    private SetMirrors mirrors;

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("The service mirror is off on this replica (kubeyard.mirror.enabled=false)");
            return;
        }
        mirrors = new SetMirrors(
                SetMirrors.Settings.of(config),
                clients,
                dataSource,
                clock,
                meters,
                "mirror-" + UUID.randomUUID().toString().substring(0, 8));
        mirrors.start();
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (mirrors != null) {
            mirrors.close();
        }
    }
}
