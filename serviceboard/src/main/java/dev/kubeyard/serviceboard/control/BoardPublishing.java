package dev.kubeyard.serviceboard.control;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.serviceboard.publish.KubeServiceInfoPort;
import dev.kubeyard.serviceboard.publish.ServiceInfoPublisher;
import dev.kubeyard.serviceboard.publish.ServiceInfoPublisher.Pass;
import dev.kubeyard.serviceboard.publish.SessionLock;
import dev.kubeyard.serviceboard.record.BoardChanges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Publishes the board as ServiceInfo objects in the management cluster when {@code kubeyard.serviceboard.publish
 * .enabled} ({@link PublishConfig}): one platform thread per replica, and only the replica that holds the publisher's
 * PostgreSQL advisory lock publishes (publish/DESIGN.md). Whatever the management cluster does, the board is not
 * affected: a failed pass is logged and counted, and the next one tries again.
 */
@ApplicationScoped
public class BoardPublishing {

    private static final Logger LOG = Logger.getLogger(BoardPublishing.class);

    /** The advisory lock's number: "kbydpub" in ASCII, the same in every replica. */
    static final long LOCK_KEY = 0x6b62796470756bL;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final PublishConfig config;
    private final ClusterClients clients;
    private final DataSource dataSource;
    private final Clock clock;
    private final MeterRegistry meters;

    private ScheduledExecutorService thread;
    private SessionLock lock;
    private ServiceInfoPublisher publisher;
    private volatile boolean leading;
    private long turn;
    private boolean failing;

    @Inject
    BoardPublishing(
            PublishConfig config, ClusterClients clients, DataSource dataSource, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clients = clients;
        this.dataSource = dataSource;
        this.clock = clock;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.debug("The service board is not published (kubeyard.serviceboard.publish.enabled=false)");
            return;
        }
        check(config);
        lock = new SessionLock(dataSource, LOCK_KEY);
        Gauge.builder("kubeyard.serviceboard.publish.leader", () -> leading ? 1 : 0)
                .description("1 on the replica that publishes the board's ServiceInfo objects")
                .register(meters);
        Gauge.builder("kubeyard.serviceboard.publish.objects", this, BoardPublishing::publishedCount)
                .description("ServiceInfo objects this replica knows to be current in the management cluster")
                .register(meters);
        thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("board-publisher").daemon().factory());
        thread.scheduleWithFixedDelay(this::tick, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof(
                "Publishing the service board to cluster %s, namespace %s, every %s (in full every %s), on the"
                        + " replica that holds its lock",
                config.managementCluster(), config.namespace(), config.interval(), config.fullEvery());
    }

    /** Invalid settings fail the start-up, with the key that is wrong. */
    static void check(PublishConfig c) {
        if (!DNS_LABEL.matcher(c.namespace()).matches()) {
            throw new IllegalStateException(
                    "kubeyard.serviceboard.publish.namespace must be a namespace name, was '" + c.namespace() + "'");
        }
        if (c.managementCluster().isBlank()) {
            throw new IllegalStateException("kubeyard.serviceboard.publish.management-cluster must not be empty");
        }
        positive("interval", c.interval());
        positive("full-every", c.fullEvery());
        if (c.overlap().isNegative()) {
            throw new IllegalStateException("kubeyard.serviceboard.publish.overlap must not be negative");
        }
    }

    private static void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalStateException("kubeyard.serviceboard.publish." + key + " must be positive, was " + d);
        }
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.close();
        leading = false;
    }

    private double publishedCount() {
        ServiceInfoPublisher p = publisher;
        return p == null ? 0 : p.publishedCount();
    }

    private void tick() {
        try {
            if (!lock.held()) {
                if (leading) {
                    LOG.warn("The service board's publisher lost its lock; another replica publishes now");
                }
                leading = false;
                publisher = null;
                return;
            }
            if (!leading || lock.turns() != turn) {
                // A publisher made anew: its first pass reconciles in full, trusting nothing of an earlier turn.
                publisher = new ServiceInfoPublisher(
                        new ServiceInfoPublisher.Settings(
                                config.namespace(), config.overlap(), config.fullEvery(), 500),
                        new BoardChanges(dataSource),
                        new KubeServiceInfoPort(
                                () -> clients.forCluster(config.managementCluster()), config.namespace()),
                        clock);
                leading = true;
                turn = lock.turns();
                LOG.info("This replica publishes the service board now (it holds the publisher's lock)");
            }
            record(publisher.pass());
        } catch (RuntimeException e) {
            // The lock could not be asked for (the database): nothing published, the next tick asks again.
            leading = false;
            publisher = null;
            countPass("none", "failed");
            LOG.warnf("Service board publisher: %s", e.getMessage());
        }
    }

    private void record(Pass pass) {
        String kind = pass.kind().name().toLowerCase(Locale.ROOT);
        countPass(kind, pass.succeeded() ? "done" : "failed");
        if (pass.failure().isPresent()) {
            if (!failing) {
                LOG.warnf(
                        "Service board publishing failed (tried again every %s; the board is not affected): %s",
                        config.interval(), pass.failure().get());
            } else {
                LOG.debugf(
                        "Service board publishing still fails: %s",
                        pass.failure().get());
            }
            failing = true;
            return;
        }
        if (failing) {
            LOG.info("Service board publishing works again");
            failing = false;
        }
        if (pass.applied() > 0 || pass.deleted() > 0) {
            LOG.debugf(
                    "Service board published (%s pass): %d applied, %d deleted, %d current",
                    kind, pass.applied(), pass.deleted(), pass.unchanged());
        }
    }

    private void countPass(String kind, String outcome) {
        Counter.builder("kubeyard.serviceboard.publish.passes")
                .description("Publishing passes by kind (full, changes) and outcome (done, failed)")
                .tag("kind", kind)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
