package dev.kubeyard.inventory.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pure rules for a list of conditions: one per type, transition time kept unless the status flips. */
public final class Conditions {

    private Conditions() {}

    /**
     * The list with {@code type} set to the given status, reason and message. The condition keeps its
     * {@code lastTransitionTime} when the status is unchanged, and takes {@code now} when it is new or flipped. The order
     * of the other conditions is kept; a new type goes last.
     */
    public static List<ClusterCondition> set(
            List<ClusterCondition> current,
            String type,
            ConditionStatus status,
            String reason,
            String message,
            Instant now) {
        List<ClusterCondition> next = new ArrayList<>(current.size() + 1);
        boolean found = false;
        for (ClusterCondition condition : current) {
            if (condition.type().equals(type)) {
                Instant transition = condition.status() == status ? condition.lastTransitionTime() : now;
                next.add(new ClusterCondition(type, status, reason, message, transition));
                found = true;
            } else {
                next.add(condition);
            }
        }
        if (!found) {
            next.add(new ClusterCondition(type, status, reason, message, now));
        }
        return List.copyOf(next);
    }

    public static Optional<ClusterCondition> find(List<ClusterCondition> conditions, String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** Whether writing {@code next} would change what is stored: status is written only when it changed. */
    public static boolean changed(List<ClusterCondition> current, List<ClusterCondition> next) {
        return !current.equals(next);
    }
}
