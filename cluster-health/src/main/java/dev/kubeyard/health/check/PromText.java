package dev.kubeyard.health.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) that kube-apiserver's {@code /metrics} serves: samples
 * with their labels; comments, HELP and TYPE lines are skipped. No maintained Java parser of this format exists (the
 * Prometheus Java client only writes it), and the format is a few lines of grammar; see README.md.
 */
public final class PromText {

    private PromText() {}

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /**
     * @throws IllegalArgumentException for a line that is not a sample, naming its number
     */
    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : text.split("\n")) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNumber + " is not a metric sample", e);
            }
        }
        return samples;
    }

    private static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
                    i++;
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).strip();
                i = eq + 1;
                if (line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        i++;
                        char escaped = line.charAt(i);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                i++;
                labels.put(key, value.toString());
            }
        }
        // the value, then an optional timestamp: read up to the next blank without a regular expression per line
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        int end = i;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        return new Sample(name, labels, number(line.substring(i, end)));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The sum of the samples of one metric whose labels pass the filter. */
    public static double sum(List<Sample> samples, String name, Predicate<Map<String, String>> filter) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && filter.test(s.labels())) {
                total += s.value();
            }
        }
        return total;
    }

    /** Whether any sample of the metric is present. */
    public static boolean has(List<Sample> samples, String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * A histogram's cumulative bucket counts by upper bound, summed over the label sets that pass the filter
     * ({@code <name>_bucket} samples).
     */
    public static NavigableMap<Double, Double> buckets(
            List<Sample> samples, String name, Predicate<Map<String, String>> filter) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        String bucket = name + "_bucket";
        for (Sample s : samples) {
            if (s.name().equals(bucket) && filter.test(s.labels()) && s.labels().containsKey("le")) {
                buckets.merge(number(s.labels().get("le")), s.value(), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The quantile of a histogram given as cumulative counts by upper bound, interpolated linearly inside the
     * bucket as Prometheus' {@code histogram_quantile} does; NaN with no observations. A quantile that falls in the
     * +Inf bucket is the highest finite bound.
     */
    public static double quantile(double q, NavigableMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return Double.NaN;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = e.getValue() - lowerCount;
                if (inBucket <= 0) {
                    return e.getKey();
                }
                return lowerBound + (e.getKey() - lowerBound) * ((rank - lowerCount) / inBucket);
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    /** {@code now - before} bucket by bucket; empty when a counter went backwards (the server restarted). */
    public static NavigableMap<Double, Double> delta(
            NavigableMap<Double, Double> now, NavigableMap<Double, Double> before) {
        NavigableMap<Double, Double> delta = new TreeMap<>();
        for (Map.Entry<Double, Double> e : now.entrySet()) {
            double was = before.getOrDefault(e.getKey(), 0.0);
            if (e.getValue() < was) {
                return new TreeMap<>();
            }
            delta.put(e.getKey(), e.getValue() - was);
        }
        return delta;
    }
}
