package dev.kubeyard.nodepool.observe;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A node pool's own healing rules, as its spec gives them ({@code nodePools[].healing}): each one present replaces
 * its role's default.
 */
public record PoolHealing(
        Optional<Duration> notReadyTimeout,
        Optional<Duration> provisioningTimeout,
        Optional<Duration> deletionTimeout,
        OptionalInt maxUnhealthyPercent,
        OptionalInt maxConcurrent,
        OptionalInt maxPerHour,
        Optional<Boolean> dryRun) {

    /** From the spec's JSON (validated on the way in); empty when the pool names no rule of its own. */
    static Optional<PoolHealing> fromSpec(Object healing) {
        if (!(healing instanceof Map<?, ?> map) || map.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PoolHealing(
                seconds(map.get("notReadyTimeoutSeconds")),
                seconds(map.get("provisioningTimeoutSeconds")),
                seconds(map.get("deletionTimeoutSeconds")),
                integer(map.get("maxUnhealthyPercent")),
                integer(map.get("maxConcurrent")),
                integer(map.get("maxPerHour")),
                map.get("dryRun") instanceof Boolean b ? Optional.of(b) : Optional.empty()));
    }

    private static Optional<Duration> seconds(Object value) {
        return value instanceof Number n ? Optional.of(Duration.ofSeconds(n.longValue())) : Optional.empty();
    }

    private static OptionalInt integer(Object value) {
        return value instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }
}
