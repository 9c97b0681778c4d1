package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.Optional;

/**
 * Rancher's own machine health check ({@code unhealthyNodeTimeout} on a machine pool) and Kubeyard must never both
 * heal one pool: they would fight over its nodes, each replacing what the other is replacing, with none of Kubeyard's
 * guards on Rancher's side. Kubeyard's own writes leave it off; a pool on which someone turned it on in Rancher is
 * Rancher's to heal, and Kubeyard holds back there and alerts, so that a person chooses one.
 */
public final class RancherRemediationGuard {

    private RancherRemediationGuard() {}

    public static Optional<Held> check(String pool, Optional<Duration> unhealthyNodeTimeout) {
        if (unhealthyNodeTimeout.isEmpty()) {
            return Optional.empty();
        }
        return Held.by(
                HealingRule.RANCHER_REMEDIATION,
                HealingReasons.RANCHER_REMEDIATION_ON,
                "Rancher's own machine health check is on for node pool " + pool + " (unhealthyNodeTimeout "
                        + Text.duration(unhealthyNodeTimeout.get()) + "): Rancher heals it, Kubeyard keeps out so"
                        + " that the two never fight over a node; turn it off in Rancher to let Kubeyard heal the"
                        + " pool");
    }
}
