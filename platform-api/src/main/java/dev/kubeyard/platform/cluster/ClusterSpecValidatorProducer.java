package dev.kubeyard.platform.cluster;

import dev.kubeyard.platform.config.PlatformConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The validator is plain Java (unit-tested in milliseconds); the application builds it once from configuration. */
public class ClusterSpecValidatorProducer {

    @Produces
    @Singleton
    ClusterSpecValidator clusterSpecValidator(PlatformConfig config) {
        return new ClusterSpecValidator(ClusterSpecValidator.Limits.of(config.clusters()));
    }
}
