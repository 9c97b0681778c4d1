package dev.kubeyard.nodepool.observe;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration strings as Rancher writes them ({@code "5m0s"}, {@code "1h30m"}, {@code "0s"}, {@code "250ms"}). */
final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");

    private GoDurations() {}

    /** The duration when it is a valid one above zero; empty for null, blank, zero or what cannot be read. */
    static Optional<Duration> positive(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Matcher m = PART.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            end = m.end();
            double amount = Double.parseDouble(m.group(1));
            double unit =
                    switch (m.group(2)) {
                        case "h" -> 3_600e9;
                        case "m" -> 60e9;
                        case "s" -> 1e9;
                        case "ms" -> 1e6;
                        case "us", "µs" -> 1e3;
                        default -> 1;
                    };
            nanos += (long) (amount * unit);
        }
        if (end != text.length() || end == 0) {
            return Optional.empty();
        }
        return nanos > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }
}
