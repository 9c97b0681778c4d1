package dev.kubeyard.platform.console;

import java.time.Duration;
import java.time.Instant;

/**
 * How long ago something happened, as the health and alert pages show it: a short relative text ("12 s ago", "4 min
 * ago", "3 h ago", "2 d ago") with the instant for the tooltip and the {@code <time>} element. The pages refresh
 * every few seconds, so the text stays current without any script.
 *
 * @param text what the cell says; empty when there is no instant
 * @param instant ISO-8601, UTC, second precision, for {@code datetime}
 * @param utc the instant for people: "2026-03-01 12:00:05 UTC"
 */
public record Ago(String text, String instant, String utc) {

    /** Up to this, minutes; beyond it, hours. */
    static final Duration MINUTES_UP_TO = Duration.ofHours(1);

    /** Up to this, hours; beyond it, days. */
    static final Duration HOURS_UP_TO = Duration.ofHours(48);

    /** Null when {@code at} is (never checked, never resolved): the template shows nothing. */
    static Ago of(Instant at, Instant now) {
        if (at == null) {
            return null;
        }
        return new Ago(text(Duration.between(at, now)), ConsolePages.iso(at), ConsolePages.time(at));
    }

    static String text(Duration age) {
        // A few milliseconds in the future is this server's clock against the database's: just now, too.
        if (age.toSeconds() < 1) {
            return "just now";
        }
        if (age.compareTo(Duration.ofMinutes(1)) < 0) {
            return age.toSeconds() + " s ago";
        }
        if (age.compareTo(MINUTES_UP_TO) < 0) {
            return age.toMinutes() + " min ago";
        }
        if (age.compareTo(HOURS_UP_TO) < 0) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " d ago";
    }
}
