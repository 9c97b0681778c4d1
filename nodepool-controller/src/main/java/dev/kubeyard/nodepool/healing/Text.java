package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How messages write durations, shares and times: for people, with the numbers. */
final class Text {

    private Text() {}

    /** {@code 45 s}, {@code 7 min}, {@code 4 min 30 s}, {@code 2 h 5 min}. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        long rest = seconds % 60;
        if (minutes < 60) {
            return rest != 0 && minutes < 10 ? minutes + " min " + rest + " s" : minutes + " min";
        }
        long hours = minutes / 60;
        long restMinutes = minutes % 60;
        return restMinutes == 0 ? hours + " h" : hours + " h " + restMinutes + " min";
    }

    /** The share {@code part / whole} in whole percent, rounded; 0 for an empty whole. */
    static long percent(int part, int whole) {
        return whole == 0 ? 0 : Math.round(100.0 * part / whole);
    }

    /** {@code 2026-11-22T10:00:00Z}. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 1 node}, {@code 3 nodes}. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    static String nodes(long n) {
        return count(n, "node", "nodes");
    }

    /** Never negative: clocks of Rancher, the cluster and Kubeyard differ a little. */
    static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
