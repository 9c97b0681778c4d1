package dev.kubeyard.nodepool.healing;

import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When healing's own replacements fail, replacing again at once only burns machines (and quota) on the same cause:
 * back off exponentially, per pool and per machine, counting the failures in a row since the last success; from
 * {@link BackoffPolicy#alertAfterFailures()} failures in a row, alert at every evaluation so that a person looks.
 */
public final class BackoffGuard {

    private BackoffGuard() {}

    /** Failures in a row, newest backwards until a success; replacements still in progress neither count nor break. */
    public static int consecutiveFailures(List<PastReplacement> oldestFirst) {
        int failures = 0;
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            ReplacementOutcome outcome = oldestFirst.get(i).outcome();
            if (outcome == ReplacementOutcome.SUCCEEDED) {
                break;
            }
            if (outcome == ReplacementOutcome.FAILED) {
                failures++;
            }
        }
        return failures;
    }

    private static Optional<Instant> lastFailure(List<PastReplacement> oldestFirst) {
        return oldestFirst.stream()
                .filter(r -> r.outcome() == ReplacementOutcome.FAILED)
                .map(PastReplacement::settledAt)
                .max(Instant::compareTo);
    }

    /**
     * @param poolHistory the pool's replacements, oldest first
     */
    public static Optional<Held> check(
            String pool, String machine, List<PastReplacement> poolHistory, BackoffPolicy policy, Instant now) {
        Optional<Held> byPool = check("pool " + pool, poolHistory, policy, now);
        Optional<Held> byMachine = check(
                "machine " + machine,
                poolHistory.stream().filter(r -> r.machine().equals(machine)).toList(),
                policy,
                now);
        if (byPool.isEmpty()) {
            return byMachine;
        }
        if (byMachine.isEmpty()) {
            return byPool;
        }
        // Both back off: the one that lasts longer decides.
        return byPool.get()
                                .lookAgainIn()
                                .orElseThrow()
                                .compareTo(byMachine.get().lookAgainIn().orElseThrow())
                        >= 0
                ? byPool
                : byMachine;
    }

    private static Optional<Held> check(
            String scope, List<PastReplacement> history, BackoffPolicy policy, Instant now) {
        int failures = consecutiveFailures(history);
        if (failures == 0) {
            return Optional.empty();
        }
        Instant last = lastFailure(history).orElseThrow();
        Duration delay = policy.delayAfter(failures);
        Instant retryAt = last.plus(delay);
        if (!now.isBefore(retryAt)) {
            return Optional.empty();
        }
        Duration left = Text.between(now, retryAt);
        return Held.by(
                HealingRule.BACKOFF,
                HealingReasons.REPLACEMENT_BACKOFF,
                Text.count(failures, "replacement", "replacements") + " in " + scope + " failed in a row, the last at "
                        + Text.time(last) + ": back-off of " + Text.duration(delay) + ", next attempt in "
                        + Text.duration(left),
                left);
    }

    /** The alert's message once the pool's replacements failed {@code alertAfterFailures} times in a row. */
    public static Optional<String> alert(String pool, List<PastReplacement> poolHistory, BackoffPolicy policy) {
        int failures = consecutiveFailures(poolHistory);
        if (failures < policy.alertAfterFailures()) {
            return Optional.empty();
        }
        return Optional.of(failures + " replacements in pool " + pool + " failed in a row (alert from "
                + policy.alertAfterFailures() + "): healing retries after a back-off of "
                + Text.duration(policy.delayAfter(failures)) + "; the pool needs a person to look");
    }
}
