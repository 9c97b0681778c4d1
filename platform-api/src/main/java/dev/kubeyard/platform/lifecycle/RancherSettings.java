package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.platform.config.PlatformConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The planner and its mapping, built once from configuration. */
public class RancherSettings {

    @Produces
    @Singleton
    RancherSpecs rancherSpecs(PlatformConfig config) {
        return new RancherSpecs(
                config.rancher().namespace(),
                config.rancher().machineConfigKind(),
                config.rancher().cloudCredential().orElse(null));
    }

    @Produces
    @Singleton
    ClusterPlanner clusterPlanner(RancherSpecs specs, PlatformConfig config) {
        return new ClusterPlanner(specs, config.reconciler().provisioningTimeout());
    }
}
