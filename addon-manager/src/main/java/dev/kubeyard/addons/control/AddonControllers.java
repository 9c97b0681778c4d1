package dev.kubeyard.addons.control;

import dev.kubeyard.addons.catalog.Values;
import dev.kubeyard.addons.cluster.ClusterObjects;
import dev.kubeyard.addons.cluster.Installation;
import dev.kubeyard.addons.cluster.InstallationReconciler;
import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.Pass;
import dev.kubeyard.addons.plan.StatusRules;
import dev.kubeyard.addons.record.AddonStore;
import dev.kubeyard.addons.record.InstallationRecord;
import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.kube.ClusterClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The starter of the per-cluster addon controllers. Every tick it matches controllers to the clusters that have
 * installations: a controller starts when its cluster is provisioned and ready, and stops when the cluster is being
 * deleted or gone. Each controller runs a pass when one is due (every {@code resync}, the drift-repair period) or was
 * asked for (an installation changed), on a virtual thread, at most {@code parallelism} at once over every cluster.
 * Per-cluster state is a small object, never a thread or a pool: a slow cluster holds one permit for as long as its
 * client's timeouts allow, and no other cluster waits for it.
 *
 * <p>With several replicas, a controller works on its cluster only while it holds the cluster's lease in PostgreSQL;
 * the lease is renewed each pass and given back at shutdown, so another replica takes over after a crash once it
 * lapses.
 */
@ApplicationScoped
public class AddonControllers {

    private static final Logger LOG = Logger.getLogger(AddonControllers.class);

    /** Phases in which a cluster's API is there to work on. */
    static final Set<ClusterPhase> RUNNING =
            EnumSet.of(ClusterPhase.READY, ClusterPhase.UPDATING, ClusterPhase.DEGRADED);

    @Inject
    AddonConfig config;

    @Inject
    AddonCatalog catalog;

    @Inject
    AddonStore store;

    @Inject
    EntityManager em;

    @Inject
    ClusterClients clients;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    @Inject
    Event<AddonPassEvent> passes;

    private final String holder = "addons-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Controller> controllers = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;
    private ExecutorService workers;
    private Semaphore permits;

    /** What a controller knows of its cluster. */
    record Target(String cluster, String managementId, String kubernetesVersion) {}

    /** One cluster's controller: a few fields, scheduled by the starter. */
    static final class Controller {
        volatile Target target;
        volatile Instant nextDue = Instant.EPOCH;
        volatile boolean running;
        volatile boolean again;
        volatile Instant lastPass;

        Controller(Target target) {
            this.target = target;
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Addon controllers are off on this replica (kubeyard.addons.enabled=false)");
            return;
        }
        permits = new Semaphore(config.parallelism());
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("addon-controller-", 0).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("addon-starter").daemon().factory());
        long every = config.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // One statement for every cluster: the next replica takes them at once instead of after the lease.
            store.releaseAll(holder);
        } catch (RuntimeException e) {
            LOG.debugf("Could not give back this replica's addon leases (they lapse): %s", e.getMessage());
        }
    }

    /** Asks for a pass over the cluster's installations soon (an installation changed). */
    public void nudge(String cluster) {
        Controller c = controllers.get(cluster);
        if (c != null) {
            c.again = true;
        }
        if (ticker != null && !ticker.isShutdown()) {
            ticker.execute(this::tickSafely);
        }
    }

    /** The clusters this replica runs a controller for. */
    public Set<String> running() {
        return Set.copyOf(controllers.keySet());
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warnf("Addon starter tick failed (the next one tries again): %s", e.toString());
        }
    }

    void tick() {
        Map<String, Target> targets = QuarkusTransaction.requiringNew().call(this::targets);
        for (Map.Entry<String, Target> t : targets.entrySet()) {
            controllers.compute(t.getKey(), (name, existing) -> {
                if (existing == null) {
                    LOG.infof("Addon controller started for cluster %s", name);
                    return new Controller(t.getValue());
                }
                existing.target = t.getValue();
                return existing;
            });
        }
        for (String name : Set.copyOf(controllers.keySet())) {
            Controller gone = controllers.get(name);
            if (!targets.containsKey(name) && gone != null && !gone.running) {
                controllers.remove(name);
                LOG.infof("Addon controller stopped for cluster %s", name);
                store.release(name, holder);
            }
        }
        Instant now = clock.instant();
        for (Controller c : controllers.values()) {
            if (!c.running && (c.again || !now.isBefore(c.nextDue))) {
                c.running = true;
                c.again = false;
                workers.execute(() -> runGuarded(c));
            }
        }
    }

    /**
     * Clusters with installations whose API is there, from the inventory, in one query (the starter asks every tick;
     * in the caller's transaction).
     */
    Map<String, Target> targets() {
        Map<String, Target> out = new HashMap<>();
        List<Object[]> rows = em.createQuery(
                        "select c.name, c.rancherManagementId, c.kubernetesVersion, c.observedKubernetesVersion"
                                + " from ManagedCluster c where c.deletionRequestedAt is null"
                                + " and c.rancherManagementId is not null and c.phase in :phases"
                                + " and c.name in (select i.cluster from InstallationRecord i)",
                        Object[].class)
                .setParameter("phases", RUNNING)
                .getResultList();
        for (Object[] r : rows) {
            String name = (String) r[0];
            String kube = r[3] != null ? (String) r[3] : (String) r[2];
            out.put(name, new Target(name, (String) r[1], kube));
        }
        return out;
    }

    static String kubernetesVersion(ManagedCluster c) {
        return c.getObservedKubernetesVersion().orElse(c.getKubernetesVersion());
    }

    private void runGuarded(Controller c) {
        boolean acquired = false;
        try {
            permits.acquire();
            acquired = true;
            pass(c.target);
            c.lastPass = clock.instant();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("Addon controller pass over %s failed (the next one starts over): %s", c.target.cluster(), e);
        } finally {
            if (acquired) {
                permits.release();
            }
            c.nextDue = clock.instant().plus(config.resync());
            c.running = false;
            if (c.again && ticker != null && !ticker.isShutdown()) {
                ticker.execute(this::tickSafely);
            }
        }
    }

    /** One pass over every installation of the cluster, under its lease. */
    void pass(Target target) {
        Timer.Sample sample = Timer.start(meters);
        Instant started = clock.instant();
        if (!store.lease(target.cluster(), holder, started, config.lease())) {
            return;
        }
        // Read in a transaction of its own and used detached: no transaction stays open across the cluster's calls.
        List<InstallationRecord> rows =
                QuarkusTransaction.requiringNew().call(() -> store.installations(target.cluster()));
        ClusterObjects objects = new ClusterObjects(clients.forCluster(target.managementId()), catalog.kinds());
        InstallationReconciler reconciler = catalog.reconciler();
        String unreachable = null;
        for (InstallationRecord row : rows) {
            // Renewed before each installation: a pass that lost its lease (a slow cluster, a paused replica) stops
            // rather than writing over what another replica's controller does now.
            if (!store.lease(target.cluster(), holder, clock.instant(), config.lease())) {
                LOG.infof(
                        "Addon controller for %s lost its lease mid-pass; another replica has the cluster",
                        target.cluster());
                return;
            }
            Installation installation = new Installation(
                    row.getCluster(),
                    row.getAddon(),
                    row.getVersion(),
                    row.getNamespace(),
                    Values.of(row.getValues()),
                    row.getGeneration());
            InstallationStatus previous = row.getStatus();
            if (row.getRemovalRequestedAt().isPresent()) {
                remove(objects, reconciler, row, installation, previous);
                continue;
            }
            Pass pass = unreachable != null
                    ? Pass.failed(row.getGeneration(), row.getVersion(), Pass.Outcome.UNREACHABLE, unreachable)
                    : reconciler.reconcile(
                            objects,
                            target.kubernetesVersion(),
                            installation,
                            previous,
                            refs -> store.remember(row.getId(), refs));
            if (pass.outcome() == Pass.Outcome.UNREACHABLE) {
                unreachable = pass.message();
            }
            InstallationStatus next = StatusRules.next(previous, pass, clock.instant(), config.progressDeadline());
            store.writeStatus(row.getId(), next, clock.instant());
            report(target, row, pass, previous, next);
        }
        store.clusterReport(
                target.cluster(), unreachable == null, unreachable == null ? "" : unreachable, clock.instant());
        sample.stop(meters.timer("kubeyard.addons.pass.duration"));
    }

    private void remove(
            ClusterObjects objects,
            InstallationReconciler reconciler,
            InstallationRecord row,
            Installation installation,
            InstallationStatus previous) {
        InstallationReconciler.Removal removal = reconciler.uninstall(objects, installation, previous);
        if (removal.done()) {
            if (store.removeInstallation(row.getId(), row.getGeneration())) {
                LOG.infof(
                        "Addon %s removed from cluster %s: %s",
                        row.getAddon(),
                        row.getCluster(),
                        removal.actions().isEmpty() ? "nothing was left" : String.join("; ", removal.actions()));
                passes.fire(new AddonPassEvent(
                        row.getCluster(),
                        row.getAddon(),
                        row.getVersion(),
                        Pass.Outcome.APPLIED,
                        removal.actions(),
                        true));
            }
            return;
        }
        Pass failed = Pass.failed(
                row.getGeneration(),
                row.getVersion(),
                Pass.Outcome.APPLY_FAILED,
                "removal failed: " + removal.message());
        store.writeStatus(
                row.getId(),
                StatusRules.next(previous, failed, clock.instant(), config.progressDeadline()),
                clock.instant());
    }

    private void report(
            Target target, InstallationRecord row, Pass pass, InstallationStatus previous, InstallationStatus next) {
        if (!pass.actions().isEmpty()) {
            LOG.infof(
                    "Addon %s %s in cluster %s: %s",
                    row.getAddon(), pass.version(), target.cluster(), String.join("; ", pass.actions()));
            passes.fire(new AddonPassEvent(
                    target.cluster(), row.getAddon(), pass.version(), pass.outcome(), pass.actions(), false));
        }
        if (pass.drift() > 0) {
            meters.counter("kubeyard.addons.drift.repaired", "addon", row.getAddon())
                    .increment(pass.drift());
        }
        // Raised once, when it turns: Degraded (not healthy past the deadline, or a pass that failed); and recovery.
        boolean wasDegraded = previous.is(Condition.DEGRADED);
        boolean degraded = next.is(Condition.DEGRADED);
        if (degraded && !wasDegraded) {
            Condition c = next.condition(Condition.DEGRADED).orElseThrow();
            LOG.warnf(
                    "Addon %s %s in cluster %s is degraded: %s %s",
                    row.getAddon(), pass.version(), target.cluster(), c.reason(), c.message());
            meters.counter("kubeyard.addons.degraded", "addon", row.getAddon()).increment();
        } else if (wasDegraded && !degraded && next.is(Condition.HEALTHY)) {
            LOG.infof("Addon %s %s in cluster %s is healthy again", row.getAddon(), pass.version(), target.cluster());
        }
    }
}
