package dev.kubeyard.platform.console;

import dev.kubeyard.inventory.cluster.ClusterCondition;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import java.time.Instant;
import java.util.Locale;

/**
 * One cluster as a row of the console.
 *
 * @param kubernetesVersion the version asked for
 * @param runningVersion the version observed, only when it differs from the one asked for (else null)
 * @param phase the phase's wire name, as the API says it
 * @param phaseStyle the CSS modifier of the phase badge ({@code phase-ready}, ...)
 * @param expiry when a temporary cluster runs out; null for a permanent one
 * @param deleting whether deletion was requested
 * @param readyMessage the message of the Ready condition while it is not True (why the cluster is not ready), else null
 */
public record ClusterRow(
        String name,
        String team,
        String kubernetesVersion,
        String runningVersion,
        String phase,
        String phaseStyle,
        int nodesReady,
        int nodesDesired,
        Expiry expiry,
        boolean deleting,
        String readyMessage) {

    static final String READY = "Ready";

    static ClusterRow of(ManagedCluster cluster, Instant now) {
        String desired = cluster.getKubernetesVersion();
        String running = cluster.getObservedKubernetesVersion()
                .filter(observed -> !observed.equals(desired))
                .orElse(null);
        String readyMessage = cluster.getConditions().stream()
                .filter(condition -> READY.equals(condition.type()) && condition.status() != ConditionStatus.TRUE)
                .map(ClusterCondition::message)
                .findFirst()
                .orElse(null);
        return new ClusterRow(
                cluster.getName(),
                cluster.getTeam().getName(),
                desired,
                running,
                cluster.getPhase().wireName(),
                "phase-" + cluster.getPhase().name().toLowerCase(Locale.ROOT),
                cluster.getNodesReady(),
                cluster.getNodesDesired(),
                cluster.getExpiresAt().map(at -> Expiry.of(at, now)).orElse(null),
                cluster.isDeletionRequested(),
                readyMessage);
    }
}
