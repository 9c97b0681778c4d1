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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

    /** One sweep over every cluster; a cluster that fails only delays itself. */
    @Scheduled(
            identity = "cluster-reconciler",
            every = "${kubeyard.platform.reconciler.interval}",
            delayed = "${kubeyard.platform.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        for (Long id : store.clusterIds()) {
            reconcile(id);
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
