package dev.kubeyard.addons.rollout;

import dev.kubeyard.addons.plan.InstallationStatus;

/**
 * What a rollout step knows of one of its clusters.
 *
 * @param clusterHealthy whether the cluster itself is fit to change (ready, reachable, no addon degraded)
 * @param problem why not, when not
 * @param desiredVersion the installation's desired version now
 * @param status the installation's reported status
 */
public record ClusterState(
        String cluster, boolean clusterHealthy, String problem, String desiredVersion, InstallationStatus status) {}
