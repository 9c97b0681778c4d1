package dev.kubeyard.nodepool.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Node pool healing's settings ({@code kubeyard.healing.*}; the module README has the table). Role settings left out
 * keep the planner's defaults ({@code HealingPolicy.defaults()}).
 */
@ConfigMapping(prefix = "kubeyard.healing")
public interface HealingConfig {

    /** Whether the periodic sweep runs; the on-demand heal works either way. */
    @WithDefault("true")
    boolean enabled();

    /** How often every cluster is evaluated. */
    @WithDefault("1m")
    Duration interval();

    /** Plan and record every replacement without carrying any out, everywhere. */
    @WithDefault("false")
    boolean dryRun();

    /** Replacements allowed per fleet key (provider or region) in any hour, across every cluster. */
    @WithDefault("20")
    int fleetMaxPerHour();

    /** Replacements allowed per cluster in any hour, all pools together. */
    @WithDefault("6")
    int clusterMaxPerHour();

    /** Clusters observed at once during a sweep. */
    @WithDefault("8")
    int parallelism();

    /**
     * How long a replica's evaluation lease on a cluster lasts if it is not given back (a crash): longer than a sweep
     * takes (the bench: 2 to 17 s for 1,000 clusters).
     */
    @WithDefault("5m")
    Duration leaseTtl();

    /** How long decision records are kept. */
    @WithDefault("720h")
    Duration retention();

    /** Wait after a cluster could not be seen, before its nodes are judged again. */
    Optional<Duration> reachabilitySettle();

    Role etcd();

    Role controlPlane();

    Role worker();

    Backoff backoff();

    Jump jump();

    /** One role's defaults; a pool is governed by its strongest role (etcd, then control plane, then worker). */
    interface Role {
        /** How long Ready may be False or Unknown before the node is replaced. */
        Optional<Duration> notReadyTimeout();

        /** How long a new machine may take until its node is Ready. */
        Optional<Duration> provisioningTimeout();

        /** How long a machine may take to be deleted. */
        Optional<Duration> deletionTimeout();

        /** Above this share of unhealthy nodes in the pool nothing is replaced, and an alert is raised. */
        OptionalInt maxUnhealthyPercent();

        /** Replacements in flight at once in one pool. */
        OptionalInt maxConcurrent();

        /** Replacements per pool in any hour. */
        OptionalInt maxPerHour();
    }

    /** After failed replacements: wait initial, doubling to max; alert after that many failures in a row. */
    interface Backoff {
        Optional<Duration> initial();

        Optional<Duration> max();

        OptionalInt alertAfterFailures();
    }

    /** A rise of the unhealthy share of at least min-nodes and min-percent-points freezes healing for freeze. */
    interface Jump {
        OptionalInt minNodes();

        OptionalInt minPercentPoints();

        Optional<Duration> freeze();
    }
}
