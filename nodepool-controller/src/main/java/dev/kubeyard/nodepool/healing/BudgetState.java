package dev.kubeyard.nodepool.healing;

import java.util.Objects;

/**
 * The healing budgets as they stood when a replacement was decided, this evaluation's earlier replacements included:
 * recorded with the decision.
 *
 * @param poolInFlight replacements in flight in the pool (observed, plus planned in this evaluation)
 * @param poolLastHour replacements requested in the pool in the last hour (recorded, plus planned)
 * @param clusterLastHour replacements requested in the cluster in the last hour (recorded, plus planned)
 * @param fleetKey the infrastructure provider and region
 * @param fleetLastHour replacements requested under the fleet key in the last hour (this sweep's included)
 */
public record BudgetState(
        String pool,
        int poolInFlight,
        int poolMaxConcurrent,
        int poolLastHour,
        int poolMaxPerHour,
        int clusterLastHour,
        int clusterMaxPerHour,
        String fleetKey,
        int fleetLastHour,
        int fleetMaxPerHour) {

    public BudgetState {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(fleetKey, "fleetKey");
    }

    /** {@code pool workers 1 of 2 in flight, 3 of 5 this hour; cluster 3 of 6 this hour; fleet os/eu 14 of 20 this hour}. */
    public String describe() {
        return "pool " + pool + " " + poolInFlight + " of " + poolMaxConcurrent + " in flight, " + poolLastHour + " of "
                + poolMaxPerHour + " this hour; cluster " + clusterLastHour + " of " + clusterMaxPerHour
                + " this hour; fleet " + fleetKey + " " + fleetLastHour + " of " + fleetMaxPerHour + " this hour";
    }
}
