package dev.kubeyard.health.notify;

import dev.kubeyard.health.control.HealthConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The configured receivers, checked when the application starts: an unknown type, a URL that is not http(s), a least
 * severity that is not one, or delivery settings that cannot work stop the start, with a message that names the
 * receiver's key (never its URL or token). Holds each receiver's circuit breaker.
 */
@Startup
@ApplicationScoped
public class Receivers {

    private static final Logger LOG = Logger.getLogger(Receivers.class);

    @Inject
    HealthConfig config;

    private Map<String, Receiver> receivers = Map.of();
    private Map<String, ReceiverCircuit> circuits = Map.of();

    @PostConstruct
    void check() {
        receivers = check(config.receivers(), config.delivery());
        Duration delay = circuitDelay(config.delivery());
        Map<String, ReceiverCircuit> c = new TreeMap<>();
        for (String name : receivers.keySet()) {
            c.put(name, new ReceiverCircuit(name, delay));
        }
        circuits = Map.copyOf(c);
        if (!receivers.isEmpty()) {
            LOG.infof(
                    "Alert receivers: %s",
                    String.join(
                            ", ",
                            receivers.values().stream().map(Receiver::toString).toList()));
        }
    }

    /**
     * Checks every receiver and the delivery settings, and reports every problem at once.
     *
     * @throws IllegalStateException with one line per problem
     */
    static Map<String, Receiver> check(Map<String, HealthConfig.Receiver> configured, HealthConfig.Delivery delivery) {
        List<String> problems = new ArrayList<>(deliveryProblems(delivery));
        Map<String, Receiver> out = new TreeMap<>();
        for (Map.Entry<String, HealthConfig.Receiver> e : new TreeMap<>(configured).entrySet()) {
            try {
                out.put(e.getKey(), Receiver.from(e.getKey(), e.getValue()));
            } catch (IllegalArgumentException problem) {
                problems.add(problem.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid alert delivery settings:\n  " + String.join("\n  ", problems));
        }
        return Map.copyOf(out);
    }

    static List<String> deliveryProblems(HealthConfig.Delivery d) {
        List<String> problems = new ArrayList<>();
        positive(problems, "interval", d.interval());
        positive(problems, "timeout", d.timeout());
        positive(problems, "backoff-initial", d.backoffInitial());
        positive(problems, "max-age", d.maxAge());
        positive(problems, "resend-interval", d.resendInterval());
        if (d.backoffMax().compareTo(d.backoffInitial()) < 0) {
            problems.add("kubeyard.health.delivery.backoff-max must not be less than backoff-initial");
        }
        if (d.batch() < 1) {
            problems.add("kubeyard.health.delivery.batch must be at least 1");
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add("kubeyard.health.delivery." + key + " must be positive");
        }
    }

    /**
     * How long an open circuit leaves its receiver alone: twice the first back-off, at most the largest one (10 s
     * with the defaults): a dead receiver sees one trial per delay, a mended one gets its backlog soon.
     */
    static Duration circuitDelay(HealthConfig.Delivery d) {
        Duration twice = d.backoffInitial().multipliedBy(2);
        return twice.compareTo(d.backoffMax()) > 0 ? d.backoffMax() : twice;
    }

    public Optional<Receiver> get(String name) {
        return Optional.ofNullable(receivers.get(name));
    }

    /** By name. */
    public Collection<Receiver> all() {
        return new TreeMap<>(receivers).values();
    }

    ReceiverCircuit circuit(String name) {
        ReceiverCircuit c = circuits.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no receiver named " + name);
        }
        return c;
    }

    public CircuitState circuitState(String name) {
        return circuit(name).state();
    }
}
