package dev.kubeyard.nodepool.healing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** A pool with every node classified, and its counts (missing nodes among them). */
public record PoolHealth(ObservedPool pool, RolePolicy policy, List<ClassifiedNode> nodes, PoolCounts counts) {

    public PoolHealth {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(policy, "policy");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(counts, "counts");
    }

    public String name() {
        return pool.name();
    }

    /** What the unhealthy total is made of: {@code 2 Ready=False, 1 stuck provisioning, 1 missing}. */
    public String unhealthyBreakdown() {
        Map<String, Long> byLabel = nodes.stream()
                .map(ClassifiedNode::health)
                .filter(NodeHealth::countsAsUnhealthy)
                .collect(Collectors.groupingBy(NodeHealth::label, LinkedHashMap::new, Collectors.counting()));
        if (counts.missing() > 0) {
            byLabel.put("missing", (long) counts.missing());
        }
        return byLabel.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
