package dev.kubeyard.nodepool.healing;

import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the replacements still in progress have ended, judged from what an evaluation observed: the history the planner
 * reads (back-off, budgets, etcd's one-at-a-time) is only as good as these outcomes.
 *
 * <p>A replacement succeeded once its machine is gone and the pool has its desired count of healthy nodes again. It
 * failed when its machine was not taken into deletion, or did not go, within the pool's deletion timeout; when a
 * machine the pool made after the request failed or got stuck provisioning; or when the pool was still short of
 * healthy nodes after the deletion and provisioning timeouts together. Otherwise it stays in progress. A cluster that
 * could not be seen settles nothing.
 */
public final class ReplacementSettler {

    private ReplacementSettler() {}

    /** One replacement's end, and why, with the numbers. */
    public record Settlement(String pool, String machine, ReplacementOutcome outcome, Instant at, String message) {
        public Settlement {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(message, "message");
            if (outcome == ReplacementOutcome.IN_PROGRESS) {
                throw new IllegalArgumentException("a settlement ends a replacement");
            }
        }

        public boolean succeeded() {
            return outcome == ReplacementOutcome.SUCCEEDED;
        }

        /** How long the replacement took, request to outcome. */
        public Duration took(Instant requestedAt) {
            return Duration.between(requestedAt, at);
        }
    }

    public static List<Settlement> settle(
            ObservedCluster cluster, HealingPolicy policy, HealingHistory history, Instant now) {
        if (!cluster.observable()) {
            return List.of();
        }
        List<Settlement> out = new ArrayList<>();
        for (PastReplacement r : history.replacements()) {
            if (r.outcome() != ReplacementOutcome.IN_PROGRESS) {
                continue;
            }
            settleOne(cluster, policy, r, now).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Settlement> settleOne(
            ObservedCluster cluster, HealingPolicy policy, PastReplacement r, Instant now) {
        Optional<ObservedPool> found =
                cluster.pools().stream().filter(p -> p.name().equals(r.pool())).findFirst();
        if (found.isEmpty()) {
            return Optional.of(new Settlement(
                    r.pool(),
                    r.machine(),
                    ReplacementOutcome.SUCCEEDED,
                    now,
                    "Pool " + r.pool() + " no longer exists: nothing left to replace"));
        }
        ObservedPool pool = found.get();
        RolePolicy rules = policy.forPool(pool);
        PoolHealth health = NodeClassifier.classify(pool, rules, now);
        Duration since = Duration.between(r.requestedAt(), now);
        Optional<ClassifiedNode> machine = health.nodes().stream()
                .filter(n -> n.machine().equals(r.machine()))
                .findFirst();
        if (machine.isPresent()) {
            ObservedNode node = machine.get().node();
            if (!node.deleting()) {
                return since.compareTo(rules.deletionTimeout()) >= 0
                        ? failed(
                                r,
                                now,
                                "Machine " + r.machine() + " was not taken into deletion " + Text.duration(since)
                                        + " after the request (deletion timeout "
                                        + Text.duration(rules.deletionTimeout())
                                        + ")")
                        : Optional.empty();
            }
            Duration deleting = Duration.between(node.deletingSince().orElse(r.requestedAt()), now);
            return deleting.compareTo(rules.deletionTimeout()) >= 0
                    ? failed(
                            r,
                            now,
                            "Machine " + r.machine() + " has been deleting for " + Text.duration(deleting)
                                    + ", more than the deletion timeout of " + Text.duration(rules.deletionTimeout()))
                    : Optional.empty();
        }
        for (ClassifiedNode successor : health.nodes()) {
            if (successor.node().createdAt().isBefore(r.requestedAt())
                    || successor.node().deleting()) {
                continue;
            }
            if (successor.health() instanceof NodeHealth.MachineFailed
                    || successor.health() instanceof NodeHealth.StuckProvisioning) {
                return failed(
                        r,
                        now,
                        "Machine " + successor.machine() + ", made after " + r.machine() + " was deleted, is "
                                + successor.health().describe());
            }
        }
        PoolCounts counts = health.counts();
        if (counts.healthy() >= counts.desired()) {
            return Optional.of(new Settlement(
                    r.pool(),
                    r.machine(),
                    ReplacementOutcome.SUCCEEDED,
                    now,
                    "Machine " + r.machine() + " is gone and pool " + r.pool() + " has " + counts.healthy() + " of "
                            + counts.desired() + " nodes healthy again, " + Text.duration(since)
                            + " after the request"));
        }
        Duration limit = rules.deletionTimeout().plus(rules.provisioningTimeout());
        return since.compareTo(limit) >= 0
                ? failed(
                        r,
                        now,
                        "Pool " + r.pool() + " still has " + counts.healthy() + " of " + counts.desired()
                                + " nodes healthy " + Text.duration(since) + " after machine " + r.machine()
                                + " was deleted (deletion and provisioning timeouts " + Text.duration(limit) + ")")
                : Optional.empty();
    }

    private static Optional<Settlement> failed(PastReplacement r, Instant now, String message) {
        return Optional.of(new Settlement(r.pool(), r.machine(), ReplacementOutcome.FAILED, now, message));
    }
}
