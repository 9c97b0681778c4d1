package dev.kubeyard.bench;

import dev.kubeyard.addons.cluster.ClusterObjects;
import dev.kubeyard.addons.cluster.Installation;
import dev.kubeyard.addons.cluster.InstallationReconciler;
import dev.kubeyard.addons.cluster.KindRegistry;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.Pass;
import dev.kubeyard.addons.plan.StatusRules;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The per-cluster addon controllers as {@code AddonControllers} runs them, without Quarkus and PostgreSQL: a starter
 * on one platform thread ticks every {@code tick} and on every nudge, and starts the pass of each controller that is
 * due (its resync ran out) or was asked for (its installation changed), on a virtual thread, at most
 * {@code parallelism} at once over every cluster. A pass is production's: {@link InstallationReconciler#reconcile}
 * over the cluster's {@link ClusterObjects} (its client through Rancher's proxy), then {@link StatusRules#next}.
 * After a pass the controller is due again {@code resync} later, whatever the pass found: a pass that leaves the
 * workloads rolling out is not looked at sooner.
 *
 * <p>Every pass is recorded with its timing and the applies it made.
 */
final class BenchAddonControllers implements AutoCloseable {

    /**
     * One pass.
     *
     * @param applies objects applied (created, updated, repaired), from the pass's actions
     * @param scheduledNanos when the starter handed it to a virtual thread
     * @param startNanos when it got its permit and began
     */
    record PassRecord(
            String cluster,
            String version,
            long generation,
            Pass.Outcome outcome,
            int applies,
            int prunes,
            boolean healthy,
            long scheduledNanos,
            long startNanos,
            long endNanos,
            String message) {

        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        Duration waited() {
            return Duration.ofNanos(startNanos - scheduledNanos);
        }

        boolean inSync() {
            return outcome == Pass.Outcome.APPLIED && applies == 0 && prunes == 0;
        }
    }

    private static final class Controller {
        final InMemoryAddonStore.Row row;
        volatile long nextDueNanos;
        volatile boolean running;
        volatile boolean again;

        Controller(InMemoryAddonStore.Row row, long dueNanos) {
            this.row = row;
            this.nextDueNanos = dueNanos;
        }
    }

    private final InMemoryAddonStore store;
    private final InstallationReconciler reconciler;
    private final KindRegistry kinds;
    private final Function<String, KubernetesClient> clients;
    private final Clock clock;
    private final Duration resync;
    private final Duration tick;
    private final Semaphore permits;
    private final Map<String, Controller> controllers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<PassRecord> passes = new ConcurrentLinkedQueue<>();
    private final AtomicLong failedPasses = new AtomicLong();
    private volatile Duration progressDeadline;
    private ScheduledExecutorService ticker;
    private ExecutorService workers;

    BenchAddonControllers(
            InMemoryAddonStore store,
            InstallationReconciler reconciler,
            KindRegistry kinds,
            Function<String, KubernetesClient> clients,
            Clock clock,
            Duration resync,
            Duration tick,
            int parallelism,
            Duration progressDeadline) {
        this.store = store;
        this.reconciler = reconciler;
        this.kinds = kinds;
        this.clients = clients;
        this.clock = clock;
        this.resync = resync;
        this.tick = tick;
        this.permits = new Semaphore(parallelism);
        this.progressDeadline = progressDeadline;
    }

    /** Starts a controller for every cluster, each due at once (its installation was just made), and the ticks. */
    void start() {
        long now = System.nanoTime();
        for (InMemoryAddonStore.Row row : store.rows()) {
            controllers.put(row.cluster, new Controller(row, now));
        }
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("addon-controller-", 0).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("addon-starter").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The installation's progress deadline ({@code kubeyard.addons.progress-deadline}) from now on. */
    void progressDeadline(Duration deadline) {
        this.progressDeadline = deadline;
    }

    /** Asks for a pass over the cluster soon (its installation changed), as {@code AddonControllers.nudge}. */
    void nudge(String cluster) {
        Controller c = controllers.get(cluster);
        if (c != null) {
            c.again = true;
        }
        if (ticker != null && !ticker.isShutdown()) {
            ticker.execute(this::tickSafely);
        }
    }

    /** Every pass so far, in the order they ended. */
    List<PassRecord> passes() {
        return new ArrayList<>(passes);
    }

    /** Passes that threw (production logs a warning and starts over next time); 0 expected. */
    long failedPasses() {
        return failedPasses.get();
    }

    private void tickSafely() {
        try {
            long now = System.nanoTime();
            for (Controller c : controllers.values()) {
                if (!c.running && (c.again || now - c.nextDueNanos >= 0)) {
                    c.running = true;
                    c.again = false;
                    long scheduled = System.nanoTime();
                    workers.execute(() -> runGuarded(c, scheduled));
                }
            }
        } catch (RejectedExecutionException shutDown) {
            // Closing: no more passes.
        } catch (RuntimeException e) {
            // Production logs the failed tick; the next one tries again.
            System.err.println("[addon-rollout] tick failed: " + e);
        }
    }

    private void runGuarded(Controller c, long scheduled) {
        boolean acquired = false;
        try {
            permits.acquire();
            acquired = true;
            pass(c.row, scheduled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failedPasses.incrementAndGet();
            System.err.println("[addon-rollout] pass over " + c.row.cluster + " failed: " + e);
        } finally {
            if (acquired) {
                permits.release();
            }
            c.nextDueNanos = System.nanoTime() + resync.toNanos();
            c.running = false;
            if (c.again && !ticker.isShutdown()) {
                ticker.execute(this::tickSafely);
            }
        }
    }

    private void pass(InMemoryAddonStore.Row row, long scheduled) {
        long start = System.nanoTime();
        Installation installation = store.startPass(row);
        InstallationStatus previous = row.status();
        ClusterObjects objects = new ClusterObjects(clients.apply(row.managementId), kinds);
        Pass pass = reconciler.reconcile(
                objects, row.kubernetesVersion, installation, previous, refs -> store.remember(row, refs));
        InstallationStatus next = StatusRules.next(previous, pass, clock.instant(), progressDeadline);
        store.writeStatus(row, next);
        boolean reachable = pass.outcome() != Pass.Outcome.UNREACHABLE;
        store.clusterReport(row, reachable, reachable ? "" : pass.message());
        long end = System.nanoTime();
        int applies = 0;
        int prunes = 0;
        for (String action : pass.actions()) {
            if (action.startsWith("created ") || action.startsWith("recreated ") || action.startsWith("repaired ")) {
                applies++;
            } else if (action.startsWith("updated ")) {
                // "updated 50 objects to 2.0.0"
                applies += Integer.parseInt(action.split(" ")[1]);
            } else if (action.startsWith("pruned ")) {
                prunes++;
            }
        }
        passes.add(new PassRecord(
                row.cluster,
                pass.version(),
                pass.generation(),
                pass.outcome(),
                applies,
                prunes,
                pass.healthy(),
                scheduled,
                start,
                end,
                pass.message()));
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            workers.shutdown();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
