package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.lifecycle.ClusterAction.FinishOperation;
import dev.kubeyard.platform.lifecycle.ClusterAction.ForgetCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.ReportProgress;
import dev.kubeyard.platform.lifecycle.ClusterAction.RequestDeletion;
import dev.kubeyard.platform.lifecycle.ClusterAction.StartOperation;
import dev.kubeyard.rancher.client.RancherException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Carries every cluster's desired state to Rancher and Rancher's state back, level-triggered: each pass re-reads the
 * inventory and Rancher, plans with {@link ClusterPlanner}, acts, and records. A crash or a Rancher outage at any point
 * leaves the inventory and Rancher in states the next pass finishes from (DESIGN.md in this package).
 *
 * <p>The sweep is a Quartz job in the clustered JDBC store: with several replicas, one runs it at a time.
 */
@ApplicationScoped
public class ClusterReconciler {

    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class);

    @Inject
    LifecycleStore store;

    @Inject
    ClusterObserver observer;

    @Inject
    ClusterPlanner planner;

    @Inject
    RancherActor actor;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    /**
     * After this many clusters in a row found Rancher unavailable, the rest of the sweep does not ask it: each waits
     * for the next sweep, marked with Rancher's last answer. With a thousand clusters and a read's retries, asking
     * each one would make a sweep during an outage take many minutes, and seeing Rancher back as long.
     */
    static final int UNAVAILABLE_IN_A_ROW = 3;

    private final AtomicLong sweeps = new AtomicLong();
    private volatile String lastRancherFailure = "no answer";

    /**
     * One sweep over every cluster; a cluster that fails only delays itself. Each sweep starts one cluster further
     * on, so that a few clusters whose own Rancher objects fail never keep the others from being reached.
     */
    @Scheduled(
            identity = "cluster-reconciler",
            every = "${kubeyard.platform.reconciler.interval}",
            delayed = "${kubeyard.platform.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        List<Long> ids = store.clusterIds();
        if (ids.isEmpty()) {
            return;
        }
        int start = (int) Math.floorMod(sweeps.getAndIncrement(), (long) ids.size());
        int unavailable = 0;
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get((start + i) % ids.size());
            if (unavailable >= UNAVAILABLE_IN_A_ROW) {
                store.recordUnreachableIfOurs(
                        id,
                        "Rancher could not be read for the last " + unavailable + " clusters of this pass ("
                                + lastRancherFailure + "); not asked again until the next pass");
                continue;
            }
            unavailable = reconcile(id) == Outcome.RANCHER_UNAVAILABLE ? unavailable + 1 : 0;
        }
    }

    /** One pass over one cluster. Public for tests that want a pass now rather than at the next tick. */
    public Outcome reconcile(long clusterId) {
        Timer.Sample sample = Timer.start(registry);
        Outcome outcome;
        try {
            outcome = pass(clusterId);
        } catch (RuntimeException e) {
            // Not a Rancher answer: a bug or the database. The cluster's status cannot say it, so the log does.
            LOG.errorf(e, "Reconciling cluster %d failed", clusterId);
            outcome = Outcome.ERROR;
        } finally {
            MDC.remove("cluster");
            MDC.remove("reconcileId");
        }
        registry.counter("kubeyard.platform.reconciliations", "outcome", outcome.tag)
                .increment();
        sample.stop(registry.timer("kubeyard.platform.reconcile.duration"));
        return outcome;
    }

    private Outcome pass(long clusterId) {
        Optional<DesiredCluster> loaded = store.load(clusterId);
        if (loaded.isEmpty()) {
            return Outcome.SKIPPED;
        }
        DesiredCluster desired = loaded.get();
        MDC.put("cluster", desired.name());
        MDC.put("reconcileId", UUID.randomUUID().toString());

        ObservedCluster observed;
        try {
            observed = observer.observe(desired);
        } catch (RancherException e) {
            lastRancherFailure = describe(e);
            store.recordUnreachable(clusterId, "Rancher could not be read: " + describe(e));
            return Outcome.RANCHER_UNAVAILABLE;
        }
        ClusterPlan plan = planner.plan(desired, observed, clock.instant());

        String failure = null;
        for (ClusterAction action : plan.actions()) {
            if (!action.writesToRancher()) {
                if (applyToInventory(action, desired)) {
                    return Outcome.DONE; // the cluster is gone from the inventory
                }
                continue;
            }
            LOG.infof("%s", action.reason());
            try {
                RancherActor.Outcome done = actor.execute(action, desired);
                auditRancherWrite(desired, action, done == RancherActor.Outcome.DONE ? "done" : "already-done", null);
            } catch (RancherException e) {
                lastRancherFailure = describe(e);
                failure = action.reason() + ": " + describe(e);
                auditRancherWrite(desired, action, "failed", describe(e));
                break; // later steps depend on this one; the next pass starts over
            }
        }
        store.recordStatus(clusterId, plan.status(), failure == null, failure);
        return failure == null ? Outcome.DONE : Outcome.RANCHER_UNAVAILABLE;
    }

    /** Carries out an inventory step; returns whether the cluster was forgotten. */
    private boolean applyToInventory(ClusterAction action, DesiredCluster desired) {
        switch (action) {
            case StartOperation a -> store.startOperation(a.operation(), a.checkpoint());
            case ReportProgress a -> store.reportProgress(a.operation(), a.percent());
            case FinishOperation a -> store.finishOperation(a.operation(), a.state(), a.result(), a.message());
            case RequestDeletion a -> {
                LOG.infof("Deleting expired cluster: %s", a.reason());
                store.requestDeletion(desired.id(), a.reason());
            }
            case ForgetCluster a -> {
                store.forget(desired.id(), a.reason(), desired.correlationId());
                return true;
            }
            default -> throw new IllegalArgumentException("Not an inventory step: " + action);
        }
        return false;
    }

    private void auditRancherWrite(DesiredCluster desired, ClusterAction action, String result, String error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", action.reason());
        details.put("result", result);
        details.put("generation", desired.generation());
        if (error != null) {
            details.put("error", error);
        }
        audit.recordNow(
                AuditLog.SYSTEM_ACTOR,
                "rancher." + actionName(action),
                "cluster",
                desired.name(),
                AuditLog.REASON_USER_REQUEST,
                desired.correlationId() == null ? "reconcile" : desired.correlationId(),
                details);
    }

    private static String actionName(ClusterAction action) {
        String simple = action.getClass().getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    /** Rancher's answer or the transport failure; the client's messages never carry the token. */
    private static String describe(RancherException e) {
        return e.getMessage();
    }

    /** How a pass ended, as the {@code outcome} tag of {@code kubeyard_platform_reconciliations_total}. */
    public enum Outcome {
        DONE("done"),
        SKIPPED("skipped"),
        RANCHER_UNAVAILABLE("rancher-unavailable"),
        ERROR("error");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }
}
