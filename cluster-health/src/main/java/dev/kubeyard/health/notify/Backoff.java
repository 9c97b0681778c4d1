package dev.kubeyard.health.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * When a failed delivery is tried again: {@code initial} after the first failure, doubled after each further one up
 * to {@code max}, less up to {@value #JITTER_PERCENT} % at random so that the deliveries of one outage do not all come
 * back in the same round. A receiver that says how long to wait ({@code Retry-After}) is waited for, up to
 * {@code max}.
 */
final class Backoff {

    static final int JITTER_PERCENT = 20;

    private final Duration initial;
    private final Duration max;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial back-off must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the largest back-off must not be less than the initial one");
        }
        this.initial = initial;
        this.max = max;
    }

    /** The schedule without jitter: the delay after the {@code failures}-th failed attempt (1 = the first). */
    Duration base(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures start at 1");
        }
        // 2^62 ms is far beyond any max: stop doubling before the long overflows.
        int doublings = Math.min(failures - 1, 62);
        long millis = initial.toMillis();
        long maxMillis = max.toMillis();
        for (int i = 0; i < doublings && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }

    /**
     * The delay after the {@code failures}-th failed attempt.
     *
     * @param random01 a number in [0, 1) that picks the jitter (a test passes its own)
     */
    Duration next(int failures, Optional<Duration> retryAfter, double random01) {
        Duration delay = jitter(base(failures), random01);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
        }
        return delay;
    }

    /** {@code delay} less up to {@value #JITTER_PERCENT} %. */
    static Duration jitter(Duration delay, double random01) {
        if (random01 < 0 || random01 >= 1) {
            throw new IllegalArgumentException("random01 must be in [0, 1)");
        }
        long millis = delay.toMillis();
        long less = (long) (millis * (JITTER_PERCENT / 100.0) * random01);
        return Duration.ofMillis(millis - less);
    }

    Duration initial() {
        return initial;
    }

    Duration max() {
        return max;
    }
}
