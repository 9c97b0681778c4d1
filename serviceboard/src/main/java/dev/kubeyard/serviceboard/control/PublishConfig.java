package dev.kubeyard.serviceboard.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Publishing the board as ServiceInfo objects in a management cluster ({@code kubeyard.serviceboard.publish.*}; the
 * module README has the table, deploy/crds/README.md the CRD to install first).
 */
@ConfigMapping(prefix = "kubeyard.serviceboard.publish")
public interface PublishConfig {

    /** Whether the board is published at all (one replica at a time publishes; the others wait for the lock). */
    @WithDefault("false")
    boolean enabled();

    /** The Rancher management cluster id whose Kubernetes API gets the objects ({@code local}: Rancher's own). */
    @WithDefault("local")
    String managementCluster();

    /** The namespace of the management cluster that holds the objects; it must exist. */
    @WithDefault("kubeyard-services")
    String namespace();

    /** How often a pass publishes the rows written since the last one. */
    @WithDefault("10s")
    Duration interval();

    /** How often a pass reconciles in full: every object against every row, orphans deleted, missing re-applied. */
    @WithDefault("5m")
    Duration fullEvery();

    /**
     * How far back of the newest change seen each pass reads again, for rows committed late or written by a replica
     * whose clock is behind.
     */
    @WithDefault("30s")
    Duration overlap();
}
