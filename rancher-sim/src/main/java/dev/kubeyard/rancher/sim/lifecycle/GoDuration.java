package dev.kubeyard.rancher.sim.lifecycle;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go's {@code time.Duration} text ({@code 5m0s}, {@code 1h30m}, {@code 250ms}) as metav1.Duration uses it. */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {}

    /**
     * Returns the duration, or null for blank input.
     *
     * @throws IllegalArgumentException when the text is not a Go duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (m.find() && m.start() == at) {
            nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            at = m.end();
        }
        if (at == 0 || at != s.length()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        Duration d = Duration.ofNanos(Math.round(nanos));
        return negative ? d.negated() : d;
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /** Formats like Go: {@code 5m0s}, {@code 1h0m0s}, {@code 300ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + "ms";
        }
        long seconds = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
        }
        if (seconds >= 60) {
            out.append((seconds % 3600) / 60).append('m');
        }
        out.append(seconds % 60).append('s');
        return out.toString();
    }
}
