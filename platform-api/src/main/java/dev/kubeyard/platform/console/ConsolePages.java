package dev.kubeyard.platform.console;

import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** What the console's pages share: the base path their links start from, and how they show an instant. */
final class ConsolePages {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsolePages() {}

    /** The application's root path with a trailing slash ("/" or "/kubeyard/"): every link of a page starts here. */
    static String base(UriInfo uriInfo) {
        String base = uriInfo.getBaseUri().getPath();
        return base.endsWith("/") ? base : base + "/";
    }

    /** "2026-03-01 12:00:05 UTC"; empty for null. */
    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** ISO-8601 at second precision, for {@code <time datetime>}; empty for null. */
    static String iso(Instant at) {
        return at == null ? "" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** "10:00:05 UTC", for "as of" notes. */
    static String clock(Instant at) {
        return CLOCK.format(at);
    }
}
