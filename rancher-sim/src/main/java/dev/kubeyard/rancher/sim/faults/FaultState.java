package dev.kubeyard.rancher.sim.faults;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** The request-level faults: latency by path prefix and injected errors. Thread-safe. */
public final class FaultState {

    /** An error-injection rule. */
    public record ErrorRule(double rate, int status, boolean reset, String pathPrefix, Long seed) {}

    private final Map<String, Long> latency = new ConcurrentHashMap<>();
    private volatile ErrorRule errors;
    private Random random = new Random();

    public void latency(String pathPrefix, long millis) {
        String prefix = pathPrefix == null ? "" : pathPrefix;
        if (millis <= 0) {
            latency.remove(prefix);
        } else {
            latency.put(prefix, millis);
        }
    }

    /** The longest delay configured for a prefix of this path. */
    public long latencyFor(String path) {
        long millis = 0;
        for (Map.Entry<String, Long> e : latency.entrySet()) {
            if (path.startsWith(e.getKey())) {
                millis = Math.max(millis, e.getValue());
            }
        }
        return millis;
    }

    public synchronized void errors(ErrorRule rule) {
        this.errors = rule == null || rule.rate() <= 0 ? null : rule;
        this.random = rule == null || rule.seed() == null ? new Random() : new Random(rule.seed());
    }

    /** The rule to apply to this request, or null: draws from the (seeded) random source once per request. */
    public synchronized ErrorRule errorFor(String path) {
        ErrorRule rule = errors;
        if (rule == null || (rule.pathPrefix() != null && !path.startsWith(rule.pathPrefix()))) {
            return null;
        }
        return random.nextDouble() < rule.rate() ? rule : null;
    }

    public synchronized void clear() {
        latency.clear();
        errors = null;
        random = new Random();
    }

    public ObjectNode describe() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode lat = out.putObject("latency");
        latency.forEach(lat::put);
        ErrorRule rule = errors;
        if (rule != null) {
            ObjectNode e = out.putObject("errors");
            e.put("rate", rule.rate());
            e.put("status", rule.status());
            e.put("mode", rule.reset() ? "reset" : "status");
            e.put("pathPrefix", rule.pathPrefix());
        }
        return out;
    }
}
