package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the healing cycle keeps between evaluations, and the two claims that make it safe with several replicas: the
 * evaluation lease (one replica evaluates a cluster at a time) and the replacement claim (one request per machine).
 * The database implementation is {@code record.HealingStore}; nothing is remembered in memory.
 */
public interface HealingLedger {

    /**
     * Takes the cluster's evaluation lease for {@code holder} until {@code now + ttl}, unless another holder's lease
     * is still running (the same holder included: each evaluation leases under a name of its own).
     */
    boolean lease(String cluster, String holder, Instant now, Duration ttl);

    /** Gives the lease back early (it runs out by itself after a crash). */
    void release(String cluster, String holder);

    /** The cluster's recent replacements and what its previous evaluation saw. */
    HealingHistory history(String cluster, Instant now);

    /** Replacements requested in the last hour per fleet key, against the limit. */
    FleetBudget fleetBudget(int limitPerHour, Instant now);

    /**
     * Claims the replacement of a machine: true for exactly one caller across every replica while no other
     * replacement of the machine is in progress.
     */
    boolean claim(String cluster, String pool, String machine, String fleetKey, Instant now);

    /** Ends a replacement in progress; one already ended keeps its first outcome. */
    boolean settle(String cluster, Settlement settlement);

    /** Ends a replacement whose deletion Rancher refused or never received. */
    boolean failed(String cluster, String machine, String failure, Instant at);

    /** When the machine was first recorded as not healthy, since {@code since} (for the time-to-detect metric). */
    Optional<Instant> firstSeenUnhealthy(String cluster, String machine, Instant since);

    /** Records the plan's decisions and what its evaluation saw, for the next one and the status page. */
    void record(HealingPlan plan);
}
