package dev.kubeyard.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A driver's command line: {@code --option value} pairs, each option known, each read with its default. */
final class BenchArgs {

    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException for an unknown option or one without a value, with the usage */
    static BenchArgs parse(String[] args, Set<String> known, String usage) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i] + "\n" + usage);
            }
            values.put(args[i], args[i + 1]);
        }
        return new BenchArgs(values);
    }

    int integer(String option, int otherwise) {
        return values.containsKey(option) ? Integer.parseInt(values.get(option)) : otherwise;
    }

    double decimal(String option, double otherwise) {
        return values.containsKey(option) ? Double.parseDouble(values.get(option)) : otherwise;
    }

    boolean bool(String option, boolean otherwise) {
        return values.containsKey(option) ? Boolean.parseBoolean(values.get(option)) : otherwise;
    }

    Duration millis(String option, Duration otherwise) {
        return values.containsKey(option) ? Duration.ofMillis(Long.parseLong(values.get(option))) : otherwise;
    }

    Duration seconds(String option, Duration otherwise) {
        return values.containsKey(option) ? Duration.ofSeconds(Long.parseLong(values.get(option))) : otherwise;
    }

    String text(String option, String otherwise) {
        return values.getOrDefault(option, otherwise);
    }
}
