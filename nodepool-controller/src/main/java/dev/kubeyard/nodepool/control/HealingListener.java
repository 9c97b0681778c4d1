package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the cycle reports what it did, beyond the ledger: the audit trail, events on the cluster, metrics and alerts.
 * Every method may be called from several threads at once; a listener that fails is logged and does not stop healing.
 */
public interface HealingListener {

    /** Once per evaluation, after its decisions were recorded. */
    default void evaluated(ClusterTarget target, ObservedCluster observed, HealingPlan plan) {}

    /**
     * The machine's deletion went to Rancher.
     *
     * @param detectedAfter from the node's failure to the first evaluation that recorded it, when known
     * @param requestedAfter from the node's failure to this request
     */
    default void replacementRequested(
            ClusterTarget target, ReplaceNode replacement, Optional<Duration> detectedAfter, Duration requestedAfter) {}

    /** Rancher refused or did not receive the deletion; the replacement is recorded as failed. */
    default void replacementFailed(ClusterTarget target, ReplaceNode replacement, String failure) {}

    /** A replacement ended, as judged from what the evaluation observed. */
    default void settled(String cluster, Settlement settlement, Duration took) {}

    /** An alert the plan raised. */
    default void alert(RaiseAlert alert) {}

    /** Another replica claimed the same replacement first: nothing was done here. */
    default void claimLost(ReplaceNode replacement) {}
}
