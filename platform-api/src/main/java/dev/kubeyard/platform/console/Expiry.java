package dev.kubeyard.platform.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * When a temporary cluster runs out, as the console shows it: a short relative text for the next two days ("expires in
 * 3 h", "expires in 12 min"), the instant beyond that, and always the instant in ISO form for the tooltip and the
 * {@code <time>} element.
 *
 * @param text what the cell says
 * @param instant the expiry in ISO-8601, UTC (second precision)
 * @param utc the expiry for people: "2026-03-01 12:00 UTC"
 * @param expired whether the time is up (the cluster is about to be deleted)
 */
public record Expiry(String text, String instant, String utc, boolean expired) {

    /** Beyond this the relative text stops being useful and the instant is shown instead. */
    static final Duration RELATIVE_UP_TO = Duration.ofHours(48);

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    static Expiry of(Instant expiresAt, Instant now) {
        Instant second = expiresAt.truncatedTo(ChronoUnit.SECONDS);
        String utc = UTC.format(second);
        return new Expiry(text(expiresAt, now, utc), second.toString(), utc, !now.isBefore(expiresAt));
    }

    private static String text(Instant expiresAt, Instant now, String utc) {
        Duration left = Duration.between(now, expiresAt);
        if (left.isNegative() || left.isZero()) {
            return "expired";
        }
        if (left.compareTo(Duration.ofHours(1)) < 0) {
            // Rounded up: "in 1 min" until the very end, never "in 0 min".
            long minutes = (left.toSeconds() + 59) / 60;
            return "expires in " + minutes + " min";
        }
        if (left.compareTo(RELATIVE_UP_TO) <= 0) {
            // Rounded to the nearest hour: a 3-hour cluster created a moment ago still says 3 h.
            long hours = (left.toSeconds() + 1800) / 3600;
            return "expires in " + hours + " h";
        }
        return "expires " + utc;
    }
}
