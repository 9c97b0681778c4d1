package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** Hands every report to each listener; one that fails does not keep the others from theirs. */
record ListenerFanOut(List<HealingListener> listeners) implements HealingListener {

    private static final Logger LOG = Logger.getLogger(ListenerFanOut.class);

    ListenerFanOut {
        listeners = List.copyOf(listeners);
    }

    @Override
    public void evaluated(ClusterTarget target, ObservedCluster observed, HealingPlan plan) {
        each(l -> l.evaluated(target, observed, plan));
    }

    @Override
    public void replacementRequested(
            ClusterTarget target, ReplaceNode replacement, Optional<Duration> detectedAfter, Duration requestedAfter) {
        each(l -> l.replacementRequested(target, replacement, detectedAfter, requestedAfter));
    }

    @Override
    public void replacementFailed(ClusterTarget target, ReplaceNode replacement, String failure) {
        each(l -> l.replacementFailed(target, replacement, failure));
    }

    @Override
    public void settled(String cluster, Settlement settlement, Duration took) {
        each(l -> l.settled(cluster, settlement, took));
    }

    @Override
    public void alert(RaiseAlert alert) {
        each(l -> l.alert(alert));
    }

    @Override
    public void claimLost(ReplaceNode replacement) {
        each(l -> l.claimLost(replacement));
    }

    private void each(Consumer<HealingListener> call) {
        for (HealingListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Healing listener %s failed", l.getClass().getName());
            }
        }
    }
}
