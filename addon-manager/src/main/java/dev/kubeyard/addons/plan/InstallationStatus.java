package dev.kubeyard.addons.plan;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the controller last reported for an installation.
 *
 * @param observedGeneration the installation generation the last pass worked from (0: never)
 * @param appliedVersion the version whose objects are in the cluster (null before the first apply)
 * @param appliedDigest the digest of what was applied
 * @param appliedAt when that digest was first applied (the start of its progress deadline)
 * @param lastHealthyVersion the last version seen healthy in this cluster: where a failed rollout goes back to
 * @param healthySince since when every health check passes (null while one fails)
 * @param unhealthySince since when one fails at the applied digest (null while healthy)
 * @param objects what the controller applied
 * @param driftRepairs how many hand changes were undone, ever
 * @param lastActions what the last pass that changed something changed
 */
public record InstallationStatus(
        long observedGeneration,
        String appliedVersion,
        String appliedDigest,
        Instant appliedAt,
        String lastHealthyVersion,
        Instant healthySince,
        Instant unhealthySince,
        List<Condition> conditions,
        List<ObjectRef> objects,
        long driftRepairs,
        Instant lastReconciledAt,
        List<String> lastActions) {

    public static final InstallationStatus NEW =
            new InstallationStatus(0, null, null, null, null, null, null, List.of(), List.of(), 0, null, List.of());

    public InstallationStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        objects = objects == null ? List.of() : List.copyOf(objects);
        lastActions = lastActions == null ? List.of() : List.copyOf(lastActions);
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    public boolean is(String type) {
        return condition(type).map(Condition::isTrue).orElse(false);
    }

    /** Healthy at the given version: what a rollout waits for. */
    public boolean healthyAt(String version) {
        return version.equals(appliedVersion) && is(Condition.HEALTHY) && !is(Condition.DEGRADED);
    }
}
