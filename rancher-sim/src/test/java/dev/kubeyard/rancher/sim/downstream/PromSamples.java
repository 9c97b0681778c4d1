package dev.kubeyard.rancher.sim.downstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, keyed by {@code name{labels}} exactly as written, for tests. Fails on
 * a line that is not a comment or a well-formed sample.
 */
public final class PromSamples {

    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (\\S+)$");

    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PromSamples() {}

    public static PromSamples parse(String text) {
        PromSamples out = new PromSamples();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (out.samples.put(key, value(m.group(3))) != null) {
                throw new AssertionError("duplicate sample: " + key);
            }
        }
        return out;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    public Map<String, Double> all() {
        return samples;
    }

    /** The value of one sample; fails when it is missing. */
    public double get(String key) {
        Double value = samples.get(key);
        if (value == null) {
            throw new AssertionError("no sample " + key + " in " + samples.keySet());
        }
        return value;
    }

    /** The sum of the samples of {@code name} whose key matches. */
    public double sum(String name, Predicate<String> key) {
        double sum = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if ((k.equals(name) || k.startsWith(name + "{")) && key.test(k)) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
