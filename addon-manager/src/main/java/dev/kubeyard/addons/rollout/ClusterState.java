package dev.kubeyard.addons.rollout;

import dev.kubeyard.addons.plan.InstallationStatus;

/**
 * What a rollout step knows of one of its clusters.
 *
 * @param clusterHealthy whether the cluster itself is fit to change (ready, reachable, no addon degraded)
 * @param problem why not, when not
 * @param desiredVersion the installation's desired version now
 * @param generation the installation's generation now (what the controller must have worked from)
 * @param status the installation's reported status
 */
public record ClusterState(
        String cluster,
        boolean clusterHealthy,
        String problem,
        String desiredVersion,
        long generation,
        InstallationStatus status) {

    /** The report is about what is desired now: the controller has passed over the current generation. */
    public boolean current() {
        return status.observedGeneration() >= generation;
    }

    /** Healthy at the version, by a report about the current generation. */
    public boolean healthyAt(String version) {
        return current() && status.healthyAt(version);
    }

    /** The cluster could not be seen in the last pass: no verdict either way. */
    public boolean unseen() {
        return status.condition(dev.kubeyard.addons.plan.Condition.HEALTHY)
                .map(c -> c.status().equals("Unknown"))
                .orElse(true);
    }
}
