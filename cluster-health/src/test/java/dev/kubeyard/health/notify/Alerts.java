package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.control.HealthConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Alerts and settings for the tests of this package. */
final class Alerts {

    static final Instant STARTED = Instant.parse("2026-03-02T10:15:30Z");
    static final Instant NOW = Instant.parse("2026-03-02T10:20:00Z");

    private Alerts() {}

    static AlertNotice unreachable() {
        return new AlertNotice(
                42,
                "ClusterUnreachable",
                Severity.CRITICAL,
                "payments-eu",
                Optional.of("payments"),
                "api",
                "",
                true,
                "The API of cluster payments-eu has not answered for 3m",
                "3 probes in a row failed: connection refused.",
                Map.of("alertname", "ClusterUnreachable", "cluster", "payments-eu", "severity", "critical"),
                STARTED,
                Optional.empty());
    }

    static AlertNotice resolved(AlertNotice a, Instant at) {
        return new AlertNotice(
                a.id(),
                a.rule(),
                a.severity(),
                a.cluster(),
                a.team(),
                a.check(),
                a.subject(),
                false,
                a.summary(),
                a.description() + " Resolved: the API answers again.",
                a.labels(),
                a.startedAt(),
                Optional.of(at));
    }

    /** A receiver's settings as the configuration would give them. */
    record ReceiverSettings(
            String type, String url, Optional<String> bearerToken, boolean sendResolved, String minSeverity)
            implements HealthConfig.Receiver {

        static ReceiverSettings of(String type, String url) {
            return new ReceiverSettings(type, url, Optional.empty(), true, "info");
        }
    }

    /** Delivery settings as the configuration would give them (the defaults unless said otherwise). */
    record DeliverySettings(
            Duration interval,
            Duration timeout,
            Duration backoffInitial,
            Duration backoffMax,
            Duration maxAge,
            Duration resendInterval,
            int batch)
            implements HealthConfig.Delivery {

        static DeliverySettings defaults() {
            return new DeliverySettings(
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(5),
                    Duration.ofHours(24),
                    Duration.ofMinutes(1),
                    50);
        }
    }
}
