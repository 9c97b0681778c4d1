package dev.kubeyard.serviceboard.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The service board's settings ({@code kubeyard.serviceboard.*}; the module README has the table). */
@ConfigMapping(prefix = "kubeyard.serviceboard")
public interface BoardConfig {

    /** Whether this replica collects (the API and console answer from PostgreSQL either way). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Only clusters whose Kubeyard labels match this selector ({@code board=on}, {@code env!=lab}) are collected;
     * empty: every running cluster.
     */
    Optional<String> clusterSelector();

    /** How often the inventory is read to start and stop collectors, leases renewed and freshness judged. */
    @WithDefault("5s")
    Duration tick();

    /** How long a collector lease lasts without renewal (another replica takes the cluster after it lapses). */
    @WithDefault("30s")
    Duration lease();

    /** How long changes are gathered before a cluster's rows are written (one transaction per cluster). */
    @WithDefault("250ms")
    Duration flushInterval();

    /** Clusters whose rows are written at once. */
    @WithDefault("4")
    int flushParallelism();

    /**
     * How long a cluster's watches may be down (or its first synchronisation unfinished) before its rows are shown
     * Unknown.
     */
    @WithDefault("15s")
    Duration staleAfter();

    /**
     * How many collectors may be in their first synchronisation at once; the others start at later ticks. Started all
     * in one tick, 1,000 clusters opened 4,000 LISTs and 4,000 watches through Rancher's proxy together and most
     * LISTs passed the request timeout (bench/results/service-board.md). A collector that has not synchronised within
     * {@code stale-after} no longer counts, so unreachable clusters never hold the others back.
     */
    @WithDefault("50")
    int initialSyncs();
}
