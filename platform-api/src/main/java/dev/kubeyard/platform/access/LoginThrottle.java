package dev.kubeyard.platform.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after {@code freeAttempts} failed authentications from one source address, every further
 * attempt from it is refused (429 with Retry-After) until a delay has passed that doubles with each failure, from one
 * second up to {@code maxDelay}. A success does not clear the source (any valid token from the same address would
 * otherwise reset a guesser's count); a source with no failure for {@code forgetAfter} is forgotten. Kept in memory per replica: an attacker spread over replicas is slowed down on each of them. At most
 * {@code maxSources} addresses are remembered, the quietest forgotten first, so a flood of addresses cannot fill the
 * heap.
 */
public final class LoginThrottle {

    private final int freeAttempts;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    private final int maxSources;
    private final Clock clock;
    private final Map<String, Failures> bySource = new ConcurrentHashMap<>();

    public LoginThrottle(int freeAttempts, Duration maxDelay, Duration forgetAfter, int maxSources, Clock clock) {
        if (freeAttempts < 1 || maxDelay.isNegative() || maxSources < 1) {
            throw new IllegalArgumentException("freeAttempts and maxSources must be at least 1, maxDelay positive");
        }
        this.freeAttempts = freeAttempts;
        this.maxDelay = maxDelay;
        this.forgetAfter = forgetAfter;
        this.maxSources = maxSources;
        this.clock = clock;
    }

    /** How long the source must still wait before its next attempt is looked at; empty when it may try now. */
    public Optional<Duration> blockedFor(String source) {
        Failures failures = bySource.get(source);
        if (failures == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant until = failures.blockedUntil(freeAttempts, maxDelay);
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Counts a failed attempt of the source. */
    public void failed(String source) {
        Instant now = clock.instant();
        bySource.compute(
                source,
                (s, f) -> f == null || f.last.plus(forgetAfter).isBefore(now)
                        ? new Failures(1, now)
                        : new Failures(f.count + 1, now));
        if (bySource.size() > maxSources) {
            forgetQuietest(now);
        }
    }

    /** How many sources are remembered (for the metric and the tests). */
    public int size() {
        return bySource.size();
    }

    private void forgetQuietest(Instant now) {
        bySource.entrySet().removeIf(e -> e.getValue().last.plus(forgetAfter).isBefore(now));
        while (bySource.size() > maxSources) {
            bySource.entrySet().stream()
                    .min(Comparator.comparing(e -> e.getValue().last))
                    .ifPresent(e -> bySource.remove(e.getKey(), e.getValue()));
        }
    }

    private record Failures(int count, Instant last) {

        Instant blockedUntil(int freeAttempts, Duration maxDelay) {
            if (count < freeAttempts) {
                return Instant.MIN;
            }
            int doublings = Math.min(count - freeAttempts, 30);
            Duration delay = Duration.ofSeconds(1L << doublings);
            return last.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
        }
    }
}
