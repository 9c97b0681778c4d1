package dev.kubeyard.nodepool.healing;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The replacements requested across the whole fleet in the last hour, per infrastructure provider and region, and
 * the most allowed: so that a provider's outage never turns into a thousand deletions.
 *
 * <p>A sweep reads it once (replacements recorded in the last hour, by fleet key), then threads it through the plans
 * of its clusters: each {@link HealingPlan} says what it spends ({@link HealingPlan#fleetSpend()}), and the next
 * cluster is planned against {@link #spend what is left} ({@link HealingPlanner#sweep}).
 *
 * @param limitPerHour replacements allowed per fleet key in any hour
 * @param spentLastHour replacements requested per fleet key in the last hour
 */
public record FleetBudget(int limitPerHour, Map<String, Integer> spentLastHour) {

    public FleetBudget {
        Policies.requireNotNegative(limitPerHour, "limitPerHour");
        spentLastHour = Map.copyOf(spentLastHour);
        spentLastHour.values().forEach(n -> Policies.requireNotNegative(n, "spentLastHour"));
    }

    /** Nothing spent yet. */
    public static FleetBudget of(int limitPerHour) {
        return new FleetBudget(limitPerHour, Map.of());
    }

    public int spent(String fleetKey) {
        return spentLastHour.getOrDefault(fleetKey, 0);
    }

    public int remaining(String fleetKey) {
        return Math.max(0, limitPerHour - spent(fleetKey));
    }

    /** The budget after {@code replacements} more under {@code fleetKey}. */
    public FleetBudget spend(String fleetKey, int replacements) {
        Objects.requireNonNull(fleetKey, "fleetKey");
        Policies.requireNotNegative(replacements, "replacements");
        if (replacements == 0) {
            return this;
        }
        Map<String, Integer> spent = new HashMap<>(spentLastHour);
        spent.merge(fleetKey, replacements, Integer::sum);
        return new FleetBudget(limitPerHour, spent);
    }
}
